#include "omni/lock/sync.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <set>

#include "omni/index/url.hpp"
#include "omni/install/env_transaction.hpp"
#include "omni/install/installed.hpp"
#include "omni/install/installer.hpp"
#include "omni/install/unpacked_wheel.hpp"
#include "omni/resolve/index_source.hpp"
#include "omni/standards/marker.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/specifier.hpp"
#include "omni/standards/tags.hpp"
#include "omni/standards/wheel_name.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"

namespace omni::lock {

namespace stdfs = std::filesystem;

namespace {

std::string x_y(const python::InterpreterInfo& info) {
    return fmt::format("{}.{}", info.version.major, info.version.minor);
}

Error lock_error(ErrorCode code, const std::string& what, const std::string& hint = {}) {
    return Error(code, what, hint);
}

bool marker_holds(const std::string& text, const standards::MarkerEnvironment& env,
                  const std::string& where) {
    if (text.empty())
        return true;
    auto marker = standards::Marker::parse(text);
    if (!marker)
        throw lock_error(ErrorCode::invalid_input,
                         fmt::format("{}: marker '{}' is not one omni can evaluate: {}", where,
                                     text, marker.error().what()));
    return marker->evaluate(env);
}

bool python_allows(const std::string& spec, const python::InterpreterInfo& info,
                   const std::string& where) {
    if (spec.empty())
        return true;
    auto set = standards::SpecifierSet::parse(spec);
    if (!set)
        throw lock_error(ErrorCode::invalid_input,
                         fmt::format("{}: requires-python '{}' is not a specifier: {}", where, spec,
                                     set.error().what()));
    const auto v = standards::Version::parse(
        fmt::format("{}.{}.{}", info.version.major, info.version.minor, info.version.micro));
    return v && set->contains(*v, true);
}

// The packages of `packages` that apply to the interpreter, each with its
// best wheel: one entry per name.
std::vector<SyncItem> select(const std::vector<LockedPackage>& packages,
                             const bubble::ProvisionContext& context, const std::string& where) {
    const auto env = resolve::marker_environment(context.interpreter);
    const standards::TagRanker ranker(
        standards::supported_tags(resolve::interpreter_facts(context.interpreter)));
    std::map<std::string, SyncItem> chosen;
    for (const auto& p : packages) {
        const auto at = fmt::format("{}: package '{}' {}", where, p.name, p.version);
        if (!marker_holds(p.marker, env, at) ||
            !python_allows(p.requires_python, context.interpreter, at))
            continue;
        const auto name = standards::normalize_name(p.name);
        if (chosen.contains(name))
            throw lock_error(ErrorCode::invalid_input,
                             fmt::format("{}: '{}' is selected twice for {} (markers that overlap)",
                                         where, p.name, context.interpreter.describe()));
        if (!p.other_source.empty())
            throw lock_error(ErrorCode::invalid_input,
                             fmt::format("{}: installs from a {} source, which omni does not sync",
                                         at, p.other_source),
                             "lock it from an index or a wheel file instead");
        const LockedFile* best = nullptr;
        std::size_t best_rank = 0;
        for (const auto& w : p.wheels) {
            auto parsed = standards::WheelName::parse(w.name);
            if (!parsed)
                throw lock_error(ErrorCode::invalid_input,
                                 fmt::format("{}: '{}' is not a wheel file name", at, w.name));
            if (parsed->name != name)
                throw lock_error(ErrorCode::invalid_input,
                                 fmt::format("{}: wheel '{}' is of another project", at, w.name));
            const auto locked_version = standards::Version::parse(p.version);
            if (!p.version.empty() && locked_version && !(parsed->version == *locked_version))
                throw lock_error(ErrorCode::invalid_input,
                                 fmt::format("{}: wheel '{}' is of another version", at, w.name));
            const auto rank = ranker.best_rank(parsed->tags);
            if (rank && (!best || *rank < best_rank)) {
                best = &w;
                best_rank = *rank;
            }
        }
        if (!best)
            throw lock_error(
                ErrorCode::not_found,
                fmt::format("{}: no wheel in the lock fits {}{}", at,
                            context.interpreter.describe(),
                            p.sdist ? " (it has an sdist, which sync does not build)" : ""),
                "lock again on this interpreter: omni --python X lock");
        if (!best->hashes.contains("sha256"))
            throw lock_error(
                ErrorCode::integrity,
                fmt::format("{}: wheel '{}' has no sha256 in the lock", at, best->name),
                "a lock must name every file's sha256");
        chosen.emplace(name, SyncItem{name, p.version, *best, std::nullopt});
    }
    std::vector<SyncItem> out;
    for (auto& [name, item] : chosen)
        out.push_back(std::move(item));
    return out;
}

bool same_version(const std::string& a, const std::string& b) {
    auto va = standards::Version::parse(a), vb = standards::Version::parse(b);
    return va && vb ? *va == *vb : a == b;
}

// Fetched through the cache (found there by its sha256 when it is) and checked.
install::UnpackedWheel fetch_verified(const bubble::ProvisionContext& context, const SyncItem& item,
                                      const SyncOptions& options) {
    DistFile file;
    file.filename = item.file.name;
    if (!item.file.url.empty()) {
        file.url = item.file.url;
    } else {
        stdfs::path path = item.file.path;
        if (path.is_relative())
            path = options.lock_dir / path;
        file.url = path_to_file_url(stdfs::absolute(path).lexically_normal());
    }
    file.hashes["sha256"] = item.file.hashes.at("sha256");
    file.size = item.file.size;
    const auto path = context.index.fetch_wheel(file);
    const auto sha = sha256_file(path);
    if (sha != file.hashes["sha256"])
        throw lock_error(ErrorCode::integrity,
                         fmt::format("{}: sha256 {} does not match the lock's {}", item.file.name,
                                     sha, file.hashes["sha256"]),
                         "the file changed since it was locked; lock again if that is expected");
    if (item.file.size && stdfs::file_size(path) != *item.file.size)
        throw lock_error(ErrorCode::integrity,
                         fmt::format("{}: {} bytes, the lock says {}", item.file.name,
                                     stdfs::file_size(path), *item.file.size));
    return install::unpack_wheel(context.home, path, sha);
}

}  // namespace

PyLock read_lock_file(const stdfs::path& path) {
    std::error_code ec;
    if (!stdfs::is_regular_file(path, ec))
        throw Error(ErrorCode::not_found,
                    fmt::format("lock file '{}' does not exist", path.string()),
                    "write one with 'omni lock -o " + path.string() + "'");
    auto lock = parse_pylock(fs::read_file(path), path.string());
    if (!lock)
        throw lock.error();
    return *lock;
}

SyncPlan plan_sync(const bubble::ProvisionContext& context, const PyLock& lock,
                   const SyncOptions& /*options*/) {
    const auto where = std::string("the lock");
    const auto env = resolve::marker_environment(context.interpreter);
    if (!lock.environments.empty() &&
        std::none_of(lock.environments.begin(), lock.environments.end(),
                     [&](const auto& e) { return marker_holds(e, env, "environments"); }))
        throw lock_error(
            ErrorCode::not_found,
            fmt::format("the lock is for other environments ({}), not {}",
                        fmt::join(lock.environments, "; "), context.interpreter.describe()),
            "sync with --python naming one of them, or lock on this one");
    if (!python_allows(lock.requires_python, context.interpreter, where))
        throw lock_error(ErrorCode::not_found,
                         fmt::format("the lock requires Python {}, not {}", lock.requires_python,
                                     context.interpreter.describe()),
                         "sync with --python naming an interpreter it allows");
    SyncPlan plan;
    auto items = select(lock.packages, context, "packages");
    if (items.empty() && !lock.packages.empty())
        throw lock_error(
            ErrorCode::not_found,
            fmt::format("no package of the lock applies to {}", context.interpreter.describe()),
            "sync with --python naming the interpreter it was made for");
    std::map<std::string, std::string> installed;
    for (const auto& d : install::list_installed(bubble::site_packages(context)))
        installed[d.name] = d.version;
    std::set<std::string> listed;
    for (auto& item : items) {
        listed.insert(item.name);
        if (auto it = installed.find(item.name); it != installed.end())
            item.installed = it->second;
        if (item.installed && same_version(*item.installed, item.version))
            plan.unchanged.push_back(std::move(item));
        else
            plan.install.push_back(std::move(item));
    }
    for (const auto& [name, version] : installed)
        if (!listed.contains(name))
            plan.remove.push_back(name + " " + version);
    const auto env_key = context.interpreter.env_key();
    const bubble::BubbleStore store(context.home);
    for (const auto& b : lock.bubbles) {
        if (b.python != env_key)
            continue;
        SyncBubble sb{b, select(b.packages, context, "bubble " + b.requirement), false};
        sb.present = store.find(env_key, b.name, b.version, b.variant).has_value();
        plan.bubbles.push_back(std::move(sb));
    }
    return plan;
}

SyncOutcome apply_sync(const bubble::ProvisionContext& context, const SyncPlan& plan,
                       const SyncOptions& options) {
    SyncOutcome outcome;
    // Every file first: fetched, verified, unpacked. Then the env, in one change.
    std::vector<install::UnpackedWheel> wheels;
    for (const auto& item : plan.install)
        wheels.push_back(fetch_verified(context, item, options));
    std::vector<std::vector<install::UnpackedWheel>> bubble_wheels;
    for (const auto& b : plan.bubbles) {
        bubble_wheels.emplace_back();
        if (!b.present)
            for (const auto& item : b.items)
                bubble_wheels.back().push_back(fetch_verified(context, item, options));
    }
    const auto site = bubble::site_packages(context);
    const auto target = install::InstallTarget::venv(context.env_root, x_y(context.interpreter));
    if (!plan.install.empty() || (!plan.remove.empty() && !options.inexact)) {
        const auto lock = install::EnvLock::acquire(context.env_root);
        std::set<std::string> wanted;
        for (const auto& item : plan.install)
            wanted.insert(item.name);
        for (const auto& item : plan.unchanged)
            wanted.insert(item.name);
        install::EnvChange change;
        change.library = site;
        // What is there now, under the lock: the locked names are replaced,
        // the rest removed unless --inexact.
        for (auto list : {install::list_installed(site), install::list_phantoms(site)})
            for (auto& d : list) {
                const bool locked_here =
                    std::any_of(plan.install.begin(), plan.install.end(),
                                [&](const auto& i) { return i.name == d.name; });
                const bool unchanged =
                    std::any_of(plan.unchanged.begin(), plan.unchanged.end(), [&](const auto& i) {
                        return i.name == d.name && same_version(i.version, d.version);
                    });
                if (locked_here || (!wanted.contains(d.name) && !options.inexact) ||
                    (wanted.contains(d.name) && !unchanged && !locked_here)) {
                    outcome.removed.push_back(d.name + " " + d.version);
                    change.remove.push_back(std::move(d));
                }
            }
        for (std::size_t i = 0; i < wheels.size(); ++i)
            change.install.push_back({&wheels[i], {true, std::nullopt}});
        const auto applied = install::apply_change(lock, target, change);
        outcome.transaction = applied.id;
        outcome.installed = plan.install;
        // Replaced versions are reported as installs, not removals.
        std::erase_if(outcome.removed, [&](const std::string& r) {
            return wanted.contains(r.substr(0, r.find(' ')));
        });
    }
    bubble::BubbleStore store(context.home);
    for (std::size_t b = 0; b < plan.bubbles.size(); ++b) {
        const auto& sb = plan.bubbles[b];
        if (sb.present)
            continue;
        const bubble::BubbleSpec spec{sb.bubble.python, sb.bubble.name, sb.bubble.version,
                                      sb.bubble.requirement, sb.bubble.variant};
        const auto& unpacked = bubble_wheels[b];
        const auto result = store.ensure(spec, [&](const stdfs::path& root) {
            std::vector<bubble::Distribution> dists;
            const auto bubble_target = install::InstallTarget::bubble(
                root, context.env_root / "bin" / "python", x_y(context.interpreter));
            for (const auto& wheel : unpacked) {
                const auto installed = install::install_wheel(
                    wheel, bubble_target,
                    {standards::normalize_name(wheel.name) == sb.bubble.name, std::nullopt});
                dists.push_back({standards::normalize_name(wheel.name), wheel.version,
                                 wheel.top_level, installed.files.size(), wheel.sha256});
            }
            return dists;
        });
        if (result.built)
            outcome.bubbles_built.push_back(result.info);
    }
    return outcome;
}

}  // namespace omni::lock
