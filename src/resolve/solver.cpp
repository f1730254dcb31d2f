#include "resolve/solver.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "omni/util/error.hpp"
#include "omni/util/log.hpp"

namespace omni::resolve {

namespace {

// " (nearest: 1.2, 1.3, 2.0)": the candidates around the first clause's
// version, so that a typo or a too-new pin is obvious.
std::string nearest_versions(const PackageInfo& info, const standards::SpecifierSet& spec) {
    const auto& c = info.candidates;
    if (c.empty())
        return " (it has no versions)";
    std::size_t at = c.size();
    if (!spec.empty() && spec.specifiers()[0].version()) {
        const auto& v = *spec.specifiers()[0].version();
        at = static_cast<std::size_t>(
            std::lower_bound(
                c.begin(), c.end(), v,
                [](const Candidate& a, const standards::Version& b) { return a.version < b; }) -
            c.begin());
    }
    const std::size_t from = at >= 2 ? at - 2 : 0;
    const std::size_t to = std::min(c.size(), from + 4);
    std::string out;
    for (std::size_t i = from; i < to; ++i)
        out += (out.empty() ? "" : ", ") + c[i].version.to_string();
    return " (nearest: " + out + ")";
}

}  // namespace

Solver::Solver(PackageSource& source, const ResolveOptions& options)
    : source_(source), options_(options) {
    PackageInfo root_info;
    root_info.loaded = true;
    root_info.candidates.push_back({*standards::Version::parse("0"), false, std::nullopt});
    packages_.push_back(std::move(root_info));
    by_package_.emplace_back();
    for (const auto& c : options.constraints) {
        auto [it, fresh] = constraints_.try_emplace(c.name, c.specifier);
        if (!fresh)
            it->second &= c.specifier;
    }
}

PackageId Solver::intern(const std::string& name, const std::string& extra) {
    const auto key = std::make_pair(name, extra);
    if (auto it = ids_.find(key); it != ids_.end())
        return it->second;
    // The base package first, so that it exists before its extras.
    const PackageId base = extra.empty() ? packages_.size() : intern(name, "");
    const PackageId id = packages_.size();
    PackageInfo info;
    info.name = name;
    info.extra = extra;
    info.base = base;
    packages_.push_back(std::move(info));
    by_package_.emplace_back();
    ids_.emplace(key, id);
    solution_.resize(packages_.size());
    return id;
}

PackageInfo& Solver::load(PackageId id) {
    if (packages_[id].loaded)
        return packages_[id];
    const PackageId base = packages_[id].base;
    if (base != id) {
        const auto& base_info = load(base);
        packages_[id].candidates = base_info.candidates;
        packages_[id].unknown = base_info.unknown;
        packages_[id].loaded = true;
        return packages_[id];
    }
    auto& info = packages_[id];
    try {
        info.candidates = source_.versions(info.name);
    } catch (const Error& e) {
        if (e.code() != ErrorCode::not_found)
            throw;
        info.unknown = true;
        info.unknown_message = e.what();
        info.unknown_hint = e.hint();
    }
    std::sort(info.candidates.begin(), info.candidates.end(),
              [](const Candidate& a, const Candidate& b) { return a.version < b.version; });
    info.loaded = true;
    if (auto c = constraints_.find(info.name); c != constraints_.end() && !info.unknown) {
        note_requirement(id, c->second);
        Incompatibility incompat;
        incompat.terms.push_back({id, matching(id, c->second).complement(), true});
        incompat.cause = Cause::constraint;
        incompat.detail = c->second.to_string();
        add(std::move(incompat));
    }
    return packages_[id];
}

VersionSet Solver::matching(PackageId id, const standards::SpecifierSet& spec) {
    const auto& candidates = load(id).candidates;
    std::vector<standards::Version> versions;
    versions.reserve(candidates.size());
    for (const auto& c : candidates)
        versions.push_back(c.version);
    auto set = VersionSet::none(candidates.size());
    // Every matching version, pre-releases included: whether one may be
    // chosen is decided on the package's combined requirements (see pick).
    for (auto i : spec.filter_indices(versions, true))
        set.insert(i);
    return set;
}

void Solver::note_requirement(PackageId id, const standards::SpecifierSet& spec) {
    auto& info = packages_[packages_[id].base];
    if (spec.prereleases() == true)
        info.prereleases_named = true;
    for (const auto& clause : spec.specifiers())
        if ((clause.op() == standards::SpecOp::equal && !clause.is_wildcard()) ||
            clause.op() == standards::SpecOp::arbitrary)
            info.pinned_exactly = true;
}

bool Solver::usable(const PackageInfo& p, std::size_t i, const VersionSet& allowed,
                    std::string* why) const {
    const auto& c = p.candidates[i];
    if (options_.python_version && !p.is_root()) {
        const auto requires_python = c.requires_python
                                         ? c.requires_python
                                         : source_.metadata_requires_python(p.name, c.version);
        if (requires_python && !requires_python->contains(*options_.python_version, true)) {
            if (why)
                *why = fmt::format("{} {} requires Python {}", p.name, c.version.to_string(),
                                   requires_python->to_string());
            return false;
        }
    }
    // PEP 592: a yanked release is used only when pinned with == or ===.
    if (c.yanked && !packages_[p.base].pinned_exactly) {
        if (why)
            *why = fmt::format("{} {} is yanked", p.name, c.version.to_string());
        return false;
    }
    (void)allowed;
    return true;
}

std::size_t Solver::add(Incompatibility incompat) {
    incompat.normalize();
    const std::size_t index = store_.size();
    for (const auto& t : incompat.terms)
        by_package_[t.package].push_back(index);
    store_.push_back(std::move(incompat));
    return index;
}

void Solver::add_dependencies(PackageId depender, std::size_t candidate,
                              const std::vector<Dependency>& deps,
                              std::vector<std::size_t>& added) {
    const auto& info = packages_[depender];
    auto pinned = VersionSet::none(info.candidates.size());
    pinned.insert(candidate);
    const Term self{depender, pinned, true};
    // Their pages are fetched side by side while they are loaded in turn.
    std::vector<std::string> unloaded;
    for (const auto& dep : deps)
        if (dep.name != info.name)
            unloaded.push_back(dep.name);
    if (!unloaded.empty())
        source_.prefetch_projects(unloaded);
    for (const auto& dep : deps) {
        if (dep.name == info.name && dep.extras.empty() && info.extra.empty())
            continue;
        std::vector<std::string> targets{""};
        targets.insert(targets.end(), dep.extras.begin(), dep.extras.end());
        for (const auto& extra : targets) {
            const PackageId target = intern(dep.name, extra);
            // name[extra]==V, added for an extra, is the solver's own pin.
            if (!(dep.name == info.name && !info.extra.empty()))
                note_requirement(target, dep.specifier);
            const auto& target_info = load(target);
            Incompatibility incompat;
            incompat.detail = dep.name + (extra.empty() ? "" : "[" + extra + "]") +
                              (dep.specifier.empty() ? "" : " " + dep.specifier.to_string());
            incompat.terms.push_back(self);
            if (target_info.unknown && packages_[depender].is_root()) {
                // Asked for by name and nowhere to be found: no explanation
                // needed beyond what the source said.
                throw Error(ErrorCode::not_found, target_info.unknown_message,
                            target_info.unknown_hint);
            }
            if (target_info.unknown) {
                incompat.cause = Cause::unknown;
            } else if (auto set = matching(target, dep.specifier); set.empty()) {
                incompat.cause = Cause::no_match;
                incompat.note = nearest_versions(target_info, dep.specifier);
            } else {
                incompat.cause = Cause::dependency;
                incompat.terms.push_back({target, std::move(set), false});
            }
            added.push_back(add(std::move(incompat)));
        }
    }
}

void Solver::propagate(PackageId first) {
    std::vector<PackageId> changed{first};
    while (!changed.empty()) {
        const PackageId package = changed.back();
        changed.pop_back();
        // Newest incompatibilities first: they are the most specific.
        for (std::size_t k = by_package_[package].size(); k-- > 0;) {
            const std::size_t index = by_package_[package][k];
            std::size_t open = 0;
            const Relation relation = solution_.relation(store_[index], open);
            if (relation == Relation::satisfied) {
                const std::size_t cause = resolve_conflict(index);
                // After backtracking the root cause is almost satisfied.
                std::size_t unsatisfied = 0;
                if (solution_.relation(store_[cause], unsatisfied) != Relation::almost_satisfied)
                    throw Error(ErrorCode::internal, "resolver: learned clause is not unit");
                const Term term = store_[cause].terms[unsatisfied];
                solution_.derive(term.negate(), cause);
                changed.assign({term.package});
                break;
            }
            if (relation == Relation::almost_satisfied) {
                const Term term = store_[index].terms[open];
                solution_.derive(term.negate(), index);
                if (std::find(changed.begin(), changed.end(), term.package) == changed.end())
                    changed.push_back(term.package);
            }
        }
    }
}

std::size_t Solver::resolve_conflict(std::size_t index) {
    for (;;) {
        ++result_.conflicts;
        if (++steps_ > options_.max_steps)
            throw Error(ErrorCode::conflict,
                        fmt::format("resolution gave up after {} steps", options_.max_steps),
                        "pin some versions to narrow the search");
        const auto& incompat = store_[index];
        if (incompat.terms.empty() ||
            (incompat.terms.size() == 1 && incompat.terms[0].package == root)) {
            throw Error(ErrorCode::conflict, explain(packages_, store_, index));
        }
        std::size_t satisfier_index = 0;
        std::size_t term_index = 0;
        std::size_t previous_level = 0;
        bool have = false;
        std::optional<Term> difference;
        const auto& assignments = solution_.assignments();
        for (std::size_t i = 0; i < incompat.terms.size(); ++i) {
            const std::size_t s = solution_.satisfier(incompat.terms[i]);
            if (!have) {
                satisfier_index = s;
                term_index = i;
                have = true;
            } else if (satisfier_index < s) {
                previous_level = std::max(previous_level, assignments[satisfier_index].level);
                satisfier_index = s;
                term_index = i;
                difference.reset();
            } else {
                previous_level = std::max(previous_level, assignments[s].level);
            }
            if (term_index == i) {
                // When the satisfier alone does not satisfy the term, an
                // earlier assignment supplied the rest.
                const Term rest = assignments[satisfier_index].term.difference(incompat.terms[i]);
                difference.reset();
                if (!rest.is_empty()) {
                    difference = rest;
                    previous_level = std::max(
                        previous_level, assignments[solution_.satisfier(rest.negate())].level);
                }
            }
        }
        const Assignment satisfier = assignments[satisfier_index];
        if (!satisfier.cause || previous_level < satisfier.level) {
            solution_.backtrack(previous_level);
            return index;
        }
        Incompatibility prior;
        prior.cause = Cause::derived;
        prior.cause1 = index;
        prior.cause2 = *satisfier.cause;
        for (std::size_t i = 0; i < incompat.terms.size(); ++i)
            if (i != term_index)
                prior.terms.push_back(incompat.terms[i]);
        for (const auto& t : store_[*satisfier.cause].terms)
            if (t.package != satisfier.term.package)
                prior.terms.push_back(t);
        if (difference)
            prior.terms.push_back(difference->negate());
        index = add(std::move(prior));
    }
}

bool Solver::decide_next(PackageId& changed) {
    // The undecided package with the fewest allowed versions goes first: it
    // fails fastest when it must fail.
    std::optional<PackageId> pick;
    std::size_t fewest = 0;
    for (PackageId p = 1; p < packages_.size(); ++p) {
        const auto& acc = solution_.accumulated(p);
        if (!acc || !acc->positive || solution_.decision(p))
            continue;
        const std::size_t n = acc->set.count();
        if (!pick || n < fewest) {
            pick = p;
            fewest = n;
        }
    }
    if (!pick)
        return false;
    const PackageId p = *pick;
    changed = p;
    const auto& info = load(p);
    const VersionSet allowed = solution_.accumulated(p)->set;

    std::optional<std::size_t> chosen;
    if (auto pref = options_.preferred.find(info.name); pref != options_.preferred.end()) {
        for (std::size_t i = 0; i < info.candidates.size(); ++i)
            if (allowed.contains(i) && info.candidates[i].version == pref->second &&
                usable(info, i, allowed, nullptr))
                chosen = i;
    }
    std::vector<std::string> reasons;
    // Candidates are sorted oldest first: newest wins unless asked for lowest.
    // Pre-releases wait for a second pass unless --pre or a requirement on
    // the package names one: PEP 440 takes them only when no final release
    // satisfies the requirements together.
    const std::size_t count = info.candidates.size();
    const bool pre_first = options_.prereleases || packages_[info.base].prereleases_named;
    bool skipped_pre = false;
    for (int pass = 0; pass < 2 && !chosen; ++pass) {
        if (pass == 1 && !skipped_pre)
            break;
        for (std::size_t k = 0; k < count && !chosen; ++k) {
            const std::size_t i = options_.lowest ? k : count - 1 - k;
            if (!allowed.contains(i))
                continue;
            const bool pre = info.candidates[i].version.is_prerelease();
            if (pass == 0 && pre && !pre_first) {
                skipped_pre = true;
                continue;
            }
            if (pass == 1 && !pre)
                continue;
            std::string why;
            if (usable(info, i, allowed, &why))
                chosen = i;
            else
                reasons.push_back(std::move(why));
        }
    }
    if (chosen && info.candidates[*chosen].yanked)
        logger().warn("{} {} is yanked; using it because it is pinned", info.name,
                      info.candidates[*chosen].version.to_string());
    if (!chosen) {
        Incompatibility none;
        none.terms.push_back({p, allowed, true});
        none.cause = Cause::no_versions;
        for (std::size_t r = 0; r < reasons.size() && r < 3; ++r)
            none.detail += (r ? "; " : "") + reasons[r];
        if (reasons.size() > 3)
            none.detail += fmt::format("; and {} more", reasons.size() - 3);
        add(std::move(none));
        return true;
    }

    ++steps_;
    const auto& version = info.candidates[*chosen].version;
    std::vector<Dependency> deps = source_.dependencies(info.name, version, info.extra);
    std::vector<std::size_t> added;
    if (!info.extra.empty()) {
        // name[extra]==V needs name==V.
        Dependency base{info.name, {}, *standards::SpecifierSet::parse("==" + version.to_string())};
        deps.insert(deps.begin(), base);
    }
    add_dependencies(p, *chosen, deps, added);
    std::vector<PackageVersion> likely;
    for (auto index : added) {
        const auto& terms = store_[index].terms;
        if (terms.size() != 2)
            continue;
        const auto& target = packages_[terms[1].package];
        const auto guess = options_.lowest ? terms[1].set.lowest() : terms[1].set.highest();
        if (guess < target.candidates.size())
            likely.push_back({target.name, target.candidates[guess].version});
    }
    if (!likely.empty())
        source_.prefetch(likely);

    // Deciding would at once satisfy a new incompatibility: let propagation
    // rule this version out instead.
    for (auto index : added) {
        const auto& terms = store_[index].terms;
        bool conflict = true;
        for (const auto& t : terms) {
            if (t.package == p)
                continue;
            const auto& acc = solution_.accumulated(t.package);
            if (!acc || !acc->satisfies(t))
                conflict = false;
        }
        if (conflict)
            return true;
    }
    solution_.decide(p, *chosen, info.candidates.size());
    ++result_.decisions;
    logger().debug("resolver: trying {} {}", info.display(), version.to_string());
    return true;
}

Resolution Solver::run() {
    solution_.resize(packages_.size());
    solution_.decide(root, 0, 1);
    std::vector<std::size_t> added;
    add_dependencies(root, 0, options_.requirements, added);
    PackageId changed = root;
    do {
        propagate(changed);
    } while (decide_next(changed));

    std::map<std::string, ResolvedPackage> picked;
    for (PackageId p = 1; p < packages_.size(); ++p) {
        const auto& decision = solution_.decision(p);
        if (!decision)
            continue;
        const auto& info = packages_[p];
        auto [it, fresh] = picked.try_emplace(
            info.name, ResolvedPackage{info.name, info.candidates[*decision].version, {}});
        if (!info.extra.empty())
            it->second.extras.push_back(info.extra);
    }
    for (auto& [name, package] : picked) {
        std::sort(package.extras.begin(), package.extras.end());
        result_.packages.push_back(std::move(package));
    }
    return result_;
}

Resolution solve(PackageSource& source, const ResolveOptions& options) {
    return Solver(source, options).run();
}

}  // namespace omni::resolve
