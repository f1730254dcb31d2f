#include "omni/lock/revert.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "omni/install/env_transaction.hpp"
#include "omni/install/installed.hpp"
#include "omni/install/installer.hpp"
#include "omni/install/unpacked_wheel.hpp"
#include "omni/resolve/index_source.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/tags.hpp"
#include "omni/standards/version.hpp"
#include "omni/standards/wheel_name.hpp"
#include "omni/util/error.hpp"
#include "omni/util/hash.hpp"

namespace omni::lock {

namespace stdfs = std::filesystem;

namespace {

using install::HistoryDist;
using install::HistoryEntry;

bool same_version(const std::string& a, const std::string& b) {
    auto va = standards::Version::parse(a), vb = standards::Version::parse(b);
    return va && vb ? *va == *vb : a == b;
}

std::string x_y(const python::InterpreterInfo& info) {
    return fmt::format("{}.{}", info.version.major, info.version.minor);
}

Error unknown_id(const std::string& id, const stdfs::path& env) {
    return Error(ErrorCode::not_found,
                 fmt::format("no change '{}' in the history of {}", id, env.string()),
                 "'omni history' (with the same --env) lists the ids of its changes");
}

// The position of change `id` (empty: the newest). A unique prefix of an
// id names it too.
std::size_t find_change(const std::vector<HistoryEntry>& history, const std::string& id,
                        const stdfs::path& env) {
    if (history.empty())
        throw Error(ErrorCode::not_found,
                    fmt::format("{} has no recorded changes to revert", env.string()),
                    "omni records every install, upgrade and uninstall it makes from now on; "
                    "'omni history' lists them");
    if (id.empty())
        return history.size() - 1;
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < history.size(); ++i) {
        if (history[i].id == id)
            return i;
        if (history[i].id.starts_with(id)) {
            if (found)
                throw Error(ErrorCode::usage,
                            fmt::format("'{}' names more than one change of {} ({} and {})", id,
                                        env.string(), history[*found].id, history[i].id),
                            "give the whole id, as 'omni history' shows it");
            found = i;
        }
    }
    if (!found)
        throw unknown_id(id, env);
    return *found;
}

// The record of the wheel that (name, version) was installed from: the
// newest change before `before` that added it, else any change that did.
std::optional<HistoryDist> wheel_record(const std::vector<HistoryEntry>& history,
                                        std::size_t before, const std::string& name,
                                        const std::string& version) {
    const auto matches = [&](const HistoryDist& d) {
        return d.name == name && same_version(d.version, version) && !d.wheel_sha256.empty();
    };
    for (std::size_t i = before; i-- > 0;)
        for (const auto& d : history[i].added)
            if (matches(d))
                return d;
    for (std::size_t i = history.size(); i-- > before;)
        for (const auto& d : history[i].added)
            if (matches(d))
                return d;
    return std::nullopt;
}

// Each touched name as it was before change k: nullopt when it was not
// installed. Undone newest first, so the oldest undone change that touched
// a name decides.
std::map<std::string, std::optional<HistoryDist>> state_before(
    const std::vector<HistoryEntry>& history, std::size_t k) {
    std::map<std::string, std::optional<HistoryDist>> want;
    for (std::size_t i = history.size(); i-- > k;) {
        const auto& change = history[i];
        // Added: not there before. A phantom removed: not installed before.
        for (const auto& d : change.added)
            want[d.name] = std::nullopt;
        for (const auto& d : change.removed)
            if (d.phantom)
                want[d.name] = std::nullopt;
        for (const auto& d : change.removed)
            if (!d.phantom)
                want[d.name] = d;
    }
    // The wheel of each version that comes back, from the record that added it.
    for (auto& [name, dist] : want) {
        if (!dist)
            continue;
        const auto origin = wheel_record(history, k, name, dist->version);
        if (!origin)
            continue;
        dist->wheel_sha256 = origin->wheel_sha256;
        dist->wheel = origin->wheel;
        if (!dist->requested)
            dist->requested = origin->requested;
        if (!dist->direct_url)
            dist->direct_url = origin->direct_url;
    }
    return want;
}

// A wheel of the cache by sha256 alone (records from before file names
// were kept): the one file in cache/wheels/<sha256>/.
std::string cached_file_name(const Home& home, const std::string& sha256) {
    if (!is_sha256_hex(sha256))
        return {};
    std::error_code ec;
    for (const auto& e : stdfs::directory_iterator(home.cache_dir() / "wheels" / sha256, ec))
        if (e.path().extension() == ".whl")
            return e.path().filename().string();
    return {};
}

WheelSource locate(const bubble::ProvisionContext& context, HistoryDist& dist) {
    if (!dist.wheel_sha256.empty() && dist.wheel.empty())
        dist.wheel = cached_file_name(context.home, dist.wheel_sha256);
    if (!dist.wheel_sha256.empty() && !dist.wheel.empty() &&
        (install::find_unpacked(context.home, dist.wheel_sha256, dist.wheel) ||
         context.index.find_cached_wheel(dist.wheel_sha256, dist.wheel)))
        return WheelSource::cache;
    return context.index.options().offline ? WheelSource::missing : WheelSource::index;
}

std::string describe_wheel(const HistoryDist& d) {
    if (!d.wheel.empty())
        return fmt::format("{} {} ({})", d.name, d.version, d.wheel);
    if (!d.wheel_sha256.empty())
        return fmt::format("{} {} (sha256 {})", d.name, d.version, d.wheel_sha256);
    return fmt::format("{} {}", d.name, d.version);
}

// The wheel from the index: the file with the recorded sha256, or (no
// record of it) the best wheel of that version for the interpreter.
install::UnpackedWheel from_index(const bubble::ProvisionContext& context, const HistoryDist& d) {
    const auto page = context.index.project_page(d.name);
    const standards::TagRanker ranker(
        standards::supported_tags(resolve::interpreter_facts(context.interpreter)));
    const DistFile* best = nullptr;
    std::size_t best_rank = 0;
    for (const auto& f : page.files) {
        if (!f.is_wheel())
            continue;
        const auto parsed = standards::WheelName::parse(f.filename);
        if (!parsed || parsed->name != d.name ||
            !same_version(parsed->version.to_string(), d.version))
            continue;
        if (!d.wheel_sha256.empty()) {
            if (f.sha256() == d.wheel_sha256) {
                best = &f;
                break;
            }
            continue;
        }
        const auto rank = ranker.best_rank(parsed->tags);
        if (rank && (!best || *rank < best_rank)) {
            best = &f;
            best_rank = *rank;
        }
    }
    if (!best)
        throw Error(ErrorCode::not_found,
                    d.wheel_sha256.empty()
                        ? fmt::format("the index has no wheel of {} {} for {}", d.name, d.version,
                                      context.interpreter.describe())
                        : fmt::format("the index no longer has the wheel {} was installed from "
                                      "(sha256 {}), and the cache does not have it either",
                                      describe_wheel(d), d.wheel_sha256),
                    "the env can only go back to versions whose wheels are still somewhere");
    const auto path = context.index.fetch_wheel(*best);
    const auto sha = sha256_file(path);
    if (!d.wheel_sha256.empty() && sha != d.wheel_sha256)
        throw Error(ErrorCode::integrity,
                    fmt::format("{}: sha256 {} is not the recorded {}", best->filename, sha,
                                d.wheel_sha256),
                    "the index serves another file under that hash; check the index");
    return install::unpack_wheel(context.home, path, sha);
}

// Every wheel of the plan, unpacked. Offline, every missing one is named
// before anything is fetched.
std::vector<install::UnpackedWheel> prepare(const bubble::ProvisionContext& context,
                                            RevertPlan& plan) {
    std::vector<std::string> missing;
    for (auto& item : plan.install) {
        item.source = locate(context, item.dist);
        if (item.source == WheelSource::missing)
            missing.push_back(describe_wheel(item.dist));
    }
    if (!missing.empty())
        throw Error(ErrorCode::not_found,
                    fmt::format("offline: the cache does not have {} to revert to; nothing was "
                                "changed",
                                fmt::join(missing, ", ")),
                    "run the revert without --offline to fetch them from the index");
    std::vector<install::UnpackedWheel> out;
    for (const auto& item : plan.install) {
        const auto& d = item.dist;
        std::optional<install::UnpackedWheel> wheel;
        if (item.source == WheelSource::cache) {
            wheel = install::find_unpacked(context.home, d.wheel_sha256, d.wheel);
            if (!wheel)
                if (auto path = context.index.find_cached_wheel(d.wheel_sha256, d.wheel))
                    wheel = install::unpack_wheel(context.home, *path, d.wheel_sha256);
        }
        if (!wheel) {
            if (context.index.options().offline)
                throw Error(ErrorCode::not_found,
                            fmt::format("offline: the cache no longer has {}; nothing was changed",
                                        describe_wheel(d)),
                            "run the revert without --offline to fetch it from the index");
            wheel = from_index(context, d);
        }
        if (standards::normalize_name(wheel->name) != d.name ||
            !same_version(wheel->version, d.version))
            throw Error(ErrorCode::integrity,
                        fmt::format("the wheel found for {} holds {} {}", describe_wheel(d),
                                    wheel->name, wheel->version),
                        "the cache entry is damaged; 'omni cache clean' removes it");
        out.push_back(std::move(*wheel));
    }
    return out;
}

bool same_plan(const RevertPlan& a, const RevertPlan& b) {
    if (a.remove != b.remove || a.install.size() != b.install.size())
        return false;
    for (std::size_t i = 0; i < a.install.size(); ++i)
        if (a.install[i].dist.name != b.install[i].dist.name ||
            a.install[i].dist.version != b.install[i].dist.version ||
            a.install[i].dist.wheel_sha256 != b.install[i].dist.wheel_sha256 ||
            a.install[i].installed != b.install[i].installed)
            return false;
    return true;
}

}  // namespace

RevertPlan plan_revert(const bubble::ProvisionContext& context, const std::string& id) {
    const auto history = install::read_history(context.env_root);
    const auto k = find_change(history, id, context.env_root);
    RevertPlan plan;
    plan.id = history[k].id;
    plan.history_head = history.back().id;
    for (std::size_t i = history.size(); i-- > k;)
        plan.undone.push_back(history[i]);
    std::map<std::string, std::string> installed;
    for (const auto& d : install::list_installed(bubble::site_packages(context)))
        installed[d.name] = d.version;
    for (auto& [name, want] : state_before(history, k)) {
        const auto it = installed.find(name);
        const auto now = it == installed.end() ? std::nullopt : std::optional(it->second);
        if (!want) {
            if (now)
                plan.remove.emplace_back(name, *now);
            continue;
        }
        if (now && same_version(*now, want->version))
            continue;
        RevertItem item{*want, now, WheelSource::missing};
        item.source = locate(context, item.dist);
        plan.install.push_back(std::move(item));
    }
    return plan;
}

RevertOutcome apply_revert(const bubble::ProvisionContext& context, const RevertPlan& first) {
    RevertOutcome outcome;
    auto plan = first;
    const auto site = bubble::site_packages(context);
    const auto target = install::InstallTarget::venv(context.env_root, x_y(context.interpreter));
    const auto link_mode = install::choose_link_mode({}, context.home);
    for (int round = 0;; ++round) {
        if (plan.empty())
            return outcome;
        auto wheels = prepare(context, plan);
        const auto lock = install::EnvLock::acquire(context.env_root);
        auto again = plan_revert(context, plan.id);
        if (!same_plan(plan, again)) {
            if (round == 2)
                throw Error(ErrorCode::conflict,
                            fmt::format("{} kept changing while the revert was prepared",
                                        context.env_root.string()),
                            "run the revert again when the other omni processes are done");
            plan = std::move(again);
            continue;
        }
        install::EnvChange change;
        change.library = site;
        for (auto list : {install::list_installed(site), install::list_phantoms(site)})
            for (auto& d : list) {
                const bool touched =
                    std::any_of(plan.remove.begin(), plan.remove.end(),
                                [&](const auto& r) { return r.first == d.name; }) ||
                    std::any_of(plan.install.begin(), plan.install.end(),
                                [&](const auto& i) { return i.dist.name == d.name; });
                if (touched)
                    change.remove.push_back(std::move(d));
            }
        for (std::size_t i = 0; i < wheels.size(); ++i)
            change.install.push_back({&wheels[i],
                                      {plan.install[i].dist.requested.value_or(true),
                                       plan.install[i].dist.direct_url, link_mode}});
        const auto applied = install::apply_change(lock, target, change);
        outcome.transaction = applied.id;
        outcome.installed = plan.install;
        for (const auto& d : applied.removed)
            if (!d.phantom)
                outcome.removed.emplace_back(d.name, d.version);
        return outcome;
    }
}

}  // namespace omni::lock
