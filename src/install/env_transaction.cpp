#include "omni/install/env_transaction.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "install/history_json.hpp"
#include "install/wheel_checks.hpp"
#include "omni/home/staging.hpp"
#include "omni/index/url.hpp"
#include "omni/standards/name.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::install {

namespace {

namespace stdfs = std::filesystem;
using nlohmann::json;

constexpr int journal_format = 1;

stdfs::path journal_file(const stdfs::path& env) {
    return env_state_dir(env) / "journal.json";
}
stdfs::path txn_dir(const stdfs::path& env, const std::string& id) {
    return env_state_dir(env) / "txn" / id;
}

// Paths in the journal are relative to the env root, so a moved env still
// recovers.
struct Journal {
    std::string id;
    std::string state = "applying";  // or "committed"
    std::string time;
    std::string command;
    std::vector<std::pair<std::string, std::string>> moves;  // original, aside
    std::vector<std::string> creates;
    std::vector<std::string> dirs;   // created by this change, outermost first
    std::vector<std::string> prune;  // left empty by removals: removed on commit
    std::vector<std::string> keep;   // never pruned (the target's own directories)
    std::vector<std::pair<std::string, std::string>> added, removed;
    std::vector<std::string> added_wheels;  // sha256 of each added wheel
    // What the history record says of each (wheel file, REQUESTED,
    // direct_url.json); absent from journals written before it was kept.
    std::vector<HistoryDist> added_detail, removed_detail;
};

json pairs_to_json(const std::vector<std::pair<std::string, std::string>>& pairs) {
    json out = json::array();
    for (const auto& [a, b] : pairs)
        out.push_back({a, b});
    return out;
}

std::vector<std::pair<std::string, std::string>> pairs_from_json(const json& j) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& p : j)
        out.emplace_back(p.at(0).get<std::string>(), p.at(1).get<std::string>());
    return out;
}

json details_to_json(const std::vector<HistoryDist>& dists) {
    json out = json::array();
    for (const auto& d : dists)
        out.push_back(history_dist_json(d));
    return out;
}

std::vector<HistoryDist> details_from_json(const json& j, const std::string& key,
                                           const stdfs::path& file) {
    std::vector<HistoryDist> out;
    if (auto it = j.find(key); it != j.end())
        for (const auto& d : *it)
            out.push_back(history_dist_from_json(d, file));
    return out;
}

std::string to_json(const Journal& j) {
    return json{{"format", journal_format},
                {"id", j.id},
                {"state", j.state},
                {"time", j.time},
                {"command", j.command},
                {"moves", pairs_to_json(j.moves)},
                {"creates", j.creates},
                {"dirs", j.dirs},
                {"prune", j.prune},
                {"keep", j.keep},
                {"added", pairs_to_json(j.added)},
                {"added_wheels", j.added_wheels},
                {"removed", pairs_to_json(j.removed)},
                {"added_detail", details_to_json(j.added_detail)},
                {"removed_detail", details_to_json(j.removed_detail)}}
        .dump();
}

// A journal path must stay inside the env: the journal is a file others
// could have written.
stdfs::path inside(const stdfs::path& root, const std::string& rel) {
    const stdfs::path p(rel);
    const auto normal = p.lexically_normal();
    if (rel.empty() || p.is_absolute() || normal.native().starts_with(".."))
        throw Error(
            ErrorCode::corrupt_state,
            fmt::format("journal in '{}' names a path outside the env: '{}'", root.string(), rel),
            "omni did not write it; move it away and run 'omni doctor' to check the env");
    return root / normal;
}

// Reads the journal of the env at `root`; every path in it is checked before
// any is used.
Journal read_journal(const stdfs::path& root) {
    const auto file = journal_file(root);
    try {
        const auto j = json::parse(fs::read_file(file));
        if (j.at("format").get<int>() != journal_format)
            throw Error(ErrorCode::corrupt_state,
                        fmt::format("journal '{}' has format {}, which this omni does not know",
                                    file.string(), j.at("format").dump()),
                        "finish it with the omni that wrote it");
        Journal out;
        out.id = j.at("id").get<std::string>();
        out.state = j.at("state").get<std::string>();
        out.time = j.at("time").get<std::string>();
        out.command = j.at("command").get<std::string>();
        out.moves = pairs_from_json(j.at("moves"));
        out.creates = j.at("creates").get<std::vector<std::string>>();
        out.dirs = j.at("dirs").get<std::vector<std::string>>();
        out.prune = j.at("prune").get<std::vector<std::string>>();
        out.keep = j.at("keep").get<std::vector<std::string>>();
        out.added = pairs_from_json(j.at("added"));
        out.added_wheels = j.at("added_wheels").get<std::vector<std::string>>();
        out.removed = pairs_from_json(j.at("removed"));
        out.added_detail = details_from_json(j, "added_detail", file);
        out.removed_detail = details_from_json(j, "removed_detail", file);
        if (out.id.empty() || out.id.find('/') != std::string::npos || out.id.starts_with("."))
            throw Error(ErrorCode::corrupt_state,
                        fmt::format("journal '{}' has a bad id '{}'", file.string(), out.id),
                        "move it away and run 'omni doctor' to check the env");
        for (const auto& [original, aside] : out.moves) {
            (void)inside(root, original);
            (void)inside(root, aside);
        }
        for (const auto* list : {&out.creates, &out.dirs, &out.prune, &out.keep})
            for (const auto& p : *list)
                (void)inside(root, p);
        return out;
    } catch (const json::exception& e) {
        throw Error(ErrorCode::corrupt_state,
                    fmt::format("journal '{}' is damaged: {}", file.string(), e.what()),
                    "move it away and run 'omni doctor' to check the env");
    }
}

bool exists_no_follow(const stdfs::path& p) {
    struct stat st {};
    return ::lstat(p.c_str(), &st) == 0;
}

std::string utc_now() {
    const auto now = std::chrono::system_clock::now();
    const auto t = std::chrono::system_clock::to_time_t(now);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return fmt::format("{}.{:03}Z", buf, ms);
}

std::string own_command_line() {
    std::string text;
    try {
        text = fs::read_file("/proc/self/cmdline");
    } catch (const Error&) {
        return {};
    }
    while (!text.empty() && text.back() == '\0')
        text.pop_back();
    // The program by its name ("omni install x"), not the path it was started by.
    const auto end = std::min(text.find('\0'), text.size());
    const auto slash = text.rfind('/', end);
    if (slash != std::string::npos)
        text.erase(0, slash + 1);
    std::replace(text.begin(), text.end(), '\0', ' ');
    return redact_credentials(text);  // an --index-url may carry a password
}

// Which move (by index) covers `rel`: the path itself or a directory above
// it was moved aside.
std::optional<std::size_t> covering_move(const std::map<std::string, std::size_t>& moved,
                                         const stdfs::path& rel) {
    for (auto p = rel; !p.empty() && p != p.parent_path(); p = p.parent_path())
        if (auto it = moved.find(p.string()); it != moved.end())
            return it->second;
    return std::nullopt;
}

std::map<std::string, std::size_t> move_index(const Journal& j) {
    std::map<std::string, std::size_t> out;
    for (std::size_t i = 0; i < j.moves.size(); ++i)
        out.emplace(j.moves[i].first, i);
    return out;
}

void remove_journal(const stdfs::path& root) {
    std::error_code ec;
    stdfs::remove(journal_file(root), ec);
    fs::sync_directory(env_state_dir(root));
}

// Not committed: new files go, old files come back.
void roll_back(const stdfs::path& root, const Journal& j) {
    const auto moved = move_index(j);
    std::error_code ec;
    for (auto it = j.creates.rbegin(); it != j.creates.rend(); ++it) {
        const auto cover = covering_move(moved, *it);
        // Where an old file has not been moved aside yet, what is there is it.
        if (cover && !exists_no_follow(inside(root, j.moves[*cover].second)))
            continue;
        stdfs::remove(inside(root, *it), ec);
    }
    for (auto it = j.dirs.rbegin(); it != j.dirs.rend(); ++it)
        ::rmdir(inside(root, *it).c_str());
    for (auto it = j.moves.rbegin(); it != j.moves.rend(); ++it) {
        const auto aside = inside(root, it->second);
        if (!exists_no_follow(aside))
            continue;
        const auto original = inside(root, it->first);
        stdfs::create_directories(original.parent_path(), ec);
        if (::rename(aside.c_str(), original.c_str()) != 0)
            throw_errno("move back", original.string(), errno);
    }
    fs::remove_tree(txn_dir(root, j.id));
    remove_journal(root);
}

// The record of a committed change: the journal's details, or (a journal
// from before they were kept) its names and versions.
void write_history(const stdfs::path& root, const Journal& j) {
    HistoryEntry entry{j.id, j.time, j.command, j.added_detail, j.removed_detail};
    if (entry.added.size() != j.added.size()) {
        entry.added.clear();
        for (std::size_t i = 0; i < j.added.size(); ++i) {
            auto& d = entry.added.emplace_back();
            d.name = j.added[i].first;
            d.version = j.added[i].second;
            if (i < j.added_wheels.size())
                d.wheel_sha256 = j.added_wheels[i];
        }
    }
    if (entry.removed.size() != j.removed.size()) {
        entry.removed.clear();
        for (const auto& [name, version] : j.removed) {
            auto& d = entry.removed.emplace_back();
            d.name = name;
            d.version = version;
        }
    }
    try {
        write_history_record(root, entry);
    } catch (const Error& e) {
        logger().warn("the change was made but its history record was not written: {}", e.what());
    }
}

// Committed: what was moved aside goes, directories left empty go.
void roll_forward(const stdfs::path& root, const Journal& j) {
    std::error_code ec;
    for (const auto& [original, aside] : j.moves)
        if (!stdfs::path(aside).lexically_normal().native().starts_with(".omni/"))
            fs::remove_tree(inside(root, aside));  // moved aside beside the original
    fs::remove_tree(txn_dir(root, j.id));
    std::set<stdfs::path> keep;
    for (const auto& k : j.keep)
        keep.insert(inside(root, k));
    std::vector<stdfs::path> prune;
    for (const auto& p : j.prune)
        prune.push_back(inside(root, p));
    std::sort(prune.begin(), prune.end(),
              [](const auto& a, const auto& b) { return a.native().size() > b.native().size(); });
    for (const auto& dir : prune)
        for (auto d = dir; d.native().size() > root.native().size() && !keep.contains(d) &&
                           ::rmdir(d.c_str()) == 0;
             d = d.parent_path()) {
        }
    write_history(root, j);
    remove_journal(root);
}

Recovery recover_locked(const stdfs::path& root) {
    remove_stale_temp_files(env_state_dir(root));
    const auto file = journal_file(root);
    if (!exists_no_follow(file))
        return Recovery::none;
    const auto j = read_journal(root);
    if (j.state == "committed") {
        logger().info("finishing the change {} a stopped omni process committed in {}", j.id,
                      root.string());
        roll_forward(root, j);
        return Recovery::rolled_forward;
    }
    logger().info("undoing the change {} a stopped omni process left unfinished in {}", j.id,
                  root.string());
    roll_back(root, j);
    return Recovery::rolled_back;
}

std::string relative_to(const stdfs::path& root, const stdfs::path& path) {
    const auto rel = path.lexically_normal().lexically_relative(root);
    if (rel.empty() || rel.native().starts_with(".."))
        throw Error(ErrorCode::internal,
                    fmt::format("'{}' is outside the env '{}'", path.string(), root.string()));
    return rel.string();
}

// The parent directory made canonical (symlinks like lib64 resolved), the
// name kept: RECORD may list a symlink, which is removed, not followed.
stdfs::path canonical_parent(const stdfs::path& p, std::map<stdfs::path, stdfs::path>& cache) {
    const auto parent = p.parent_path();
    auto it = cache.find(parent);
    if (it == cache.end())
        it = cache.emplace(parent, stdfs::weakly_canonical(parent)).first;
    return it->second / p.filename();
}

// What a removed distribution had that its wheel does not: REQUESTED and
// direct_url.json (the wheel itself is named by the record that added it).
HistoryDist removed_detail(const InstalledDist& dist) {
    HistoryDist out;
    out.name = dist.name;
    out.version = dist.version;
    out.phantom = dist.phantom;
    if (dist.phantom)
        return out;
    out.requested = exists_no_follow(dist.dist_info / "REQUESTED");
    std::error_code ec;
    const auto direct_url = dist.dist_info / "direct_url.json";
    if (stdfs::is_regular_file(direct_url, ec) && stdfs::file_size(direct_url, ec) <= 64 * 1024) {
        auto text = fs::read_file(direct_url);
        if (json::accept(text) && json::parse(text).is_object())
            out.direct_url = std::move(text);
    }
    return out;
}

dev_t device_of(const stdfs::path& p) {
    struct stat st {};
    return ::lstat(p.c_str(), &st) == 0 ? st.st_dev : 0;
}

// An Error for what a standard-library call threw while applying.
Error as_error(const std::exception& e) {
    if (const auto* err = dynamic_cast<const Error*>(&e))
        return *err;
    if (const auto* fe = dynamic_cast<const stdfs::filesystem_error*>(&e)) {
        const int code = fe->code().value();
        if (code == ENOSPC || code == EDQUOT)
            return Error(ErrorCode::io,
                         fmt::format("cannot write '{}': the disk is full", fe->path1().string()),
                         "free some space on that file system and run the command again");
        return Error(ErrorCode::io, fe->what());
    }
    return Error(ErrorCode::internal, e.what());
}

}  // namespace

stdfs::path env_state_dir(const stdfs::path& env_root) {
    return env_root / ".omni";
}

EnvLock EnvLock::acquire(const stdfs::path& env_root, std::chrono::milliseconds timeout) {
    std::error_code ec;
    if (!stdfs::is_directory(env_root, ec))
        throw Error(ErrorCode::not_found,
                    fmt::format("the env '{}' does not exist", env_root.string()),
                    "create it first (omni swap python VERSION makes a main env)");
    const auto root = stdfs::weakly_canonical(env_root);
    stdfs::create_directories(env_state_dir(root), ec);
    if (ec)
        throw Error(
            ErrorCode::io,
            fmt::format("cannot create '{}': {}", env_state_dir(root).string(), ec.message()),
            "omni keeps each env's lock and journal there; make the env writable");
    EnvLock lock(root,
                 FileLock::acquire(env_state_dir(root) / "lock", LockMode::exclusive, timeout));
    lock.recovered_ = recover_locked(root);
    return lock;
}

bool has_pending_journal(const stdfs::path& env_root) {
    return exists_no_follow(journal_file(env_root));
}

Recovery recover_if_pending(const stdfs::path& env_root) {
    if (!has_pending_journal(env_root))
        return Recovery::none;
    return EnvLock::acquire(env_root).recovered();
}

AppliedChange apply_change(const EnvLock& lock, const InstallTarget& target,
                           const EnvChange& change) {
    const auto& root = lock.env_root();
    AppliedChange out;
    Journal j;
    j.time = utc_now();
    j.id = fmt::format("{}-{}", j.time, fs::unique_suffix());
    std::replace(j.id.begin(), j.id.end(), ':', '-');
    j.command = change.command.empty() ? own_command_line() : change.command;
    std::map<stdfs::path, stdfs::path> canon;
    const auto library = stdfs::weakly_canonical(change.library);
    const auto txn = txn_dir(root, j.id);
    const dev_t txn_device = device_of(env_state_dir(root));

    // What goes: each removed distribution's dist-info as one directory
    // first (so it stops being installed at once), then its files.
    std::map<std::string, std::size_t> moved;
    std::set<std::string> prune;
    const auto move = [&](const stdfs::path& original) {
        const auto rel = relative_to(root, original);
        if (moved.contains(rel))
            return;
        const auto k = j.moves.size();
        std::string aside = relative_to(root, txn / std::to_string(k));
        if (device_of(original.parent_path()) != txn_device)  // another file system
            aside = relative_to(root,
                                original.parent_path() / fmt::format(".omni-aside-{}-{}", j.id, k));
        moved.emplace(rel, k);
        j.moves.emplace_back(rel, aside);
    };
    for (const auto& dist : change.remove) {
        const auto dist_info = canonical_parent(dist.dist_info, canon);
        std::vector<RecordRow> rows;
        if (!dist.phantom)
            rows = parse_record(fs::read_file(dist.dist_info / "RECORD"), dist.dist_info.string());
        move(dist_info);
        for (const auto& row : rows) {
            const auto path = canonical_parent((library / row.path).lexically_normal(), canon);
            const auto rel = path.lexically_relative(root);
            if (rel.empty() || rel.native().starts_with("..") ||
                stdfs::path(row.path).is_absolute()) {
                out.refused.push_back(row.path);
                logger().warn("not removing '{}' listed by {}: outside {}", row.path,
                              dist.dist_info.string(), root.string());
                continue;
            }
            if (path.native().starts_with(dist_info.native() + "/") || !exists_no_follow(path))
                continue;
            move(path);
            prune.insert(relative_to(root, path.parent_path()));
            if (path.extension() == ".py") {
                // Byte code Python wrote for it.
                std::error_code ec;
                const auto cache = path.parent_path() / "__pycache__";
                for (const auto& pyc : stdfs::directory_iterator(cache, ec))
                    if (pyc.path().filename().string().starts_with(path.stem().string() + "."))
                        move(pyc.path());
                prune.insert(relative_to(root, cache));
            }
        }
        j.removed.emplace_back(dist.name, dist.version);
        j.removed_detail.push_back(removed_detail(dist));
        out.removed.push_back(dist);
    }

    // What comes: every file planned before anything is touched, and each
    // checked against what is there.
    std::vector<WheelPlan> plans;
    std::set<std::string> creating;
    std::set<std::string> new_dirs;
    for (const auto& item : change.install) {
        auto plan = plan_wheel(*item.wheel, target, item.options);
        for (const auto& file : plan.files) {
            const auto rel = relative_to(root, file.dest);
            if (!creating.insert(rel).second)
                throw Error(ErrorCode::conflict,
                            fmt::format("two distributions of this install both have '{}'",
                                        file.dest.string()),
                            "install them one at a time to see which");
            if (!covering_move(moved, rel) && exists_no_follow(file.dest))
                throw Error(ErrorCode::conflict,
                            fmt::format("'{}' already exists and belongs to another distribution",
                                        file.dest.string()),
                            "uninstall the distribution that owns it first");
            for (auto d = stdfs::path(rel).parent_path(); !d.empty(); d = d.parent_path()) {
                if (new_dirs.contains(d.string()))
                    break;
                if (exists_no_follow(root / d) && !covering_move(moved, d))
                    break;
                new_dirs.insert(d.string());
            }
            j.creates.push_back(rel);
        }
        j.added.emplace_back(standards::normalize_name(plan.name), plan.version);
        j.added_wheels.push_back(item.wheel->sha256);
        auto& detail = j.added_detail.emplace_back();
        detail.name = standards::normalize_name(plan.name);
        detail.version = plan.version;
        detail.wheel_sha256 = item.wheel->sha256;
        detail.wheel = item.wheel->filename;
        detail.requested = item.options.requested;
        detail.direct_url = item.options.direct_url;
        plans.push_back(std::move(plan));
    }
    j.dirs.assign(new_dirs.begin(), new_dirs.end());
    std::sort(j.dirs.begin(), j.dirs.end(), [](const auto& a, const auto& b) {
        return std::count(a.begin(), a.end(), '/') < std::count(b.begin(), b.end(), '/');
    });
    j.prune.assign(prune.begin(), prune.end());
    for (const auto& dir : {target.purelib, target.platlib, target.scripts, target.data,
                            target.headers, change.library})
        if (auto rel = stdfs::weakly_canonical(dir).lexically_relative(root);
            !rel.empty() && !rel.native().starts_with(".."))
            j.keep.push_back(rel.string());

    // Nothing was touched so far. From the journal on, a crash is recovered.
    fs::atomic_write(journal_file(root), to_json(j));
    try {
        if (!j.moves.empty())
            stdfs::create_directories(txn);
        for (const auto& [original, aside] : j.moves)
            if (::rename((root / original).c_str(), (root / aside).c_str()) != 0)
                throw_errno("move aside", (root / original).string(), errno);
        Linker linker(change.install.empty() ? LinkMode::automatic
                                             : change.install.front().options.link_mode);
        for (const auto& plan : plans) {
            InstalledDistribution done{plan.name, plan.version, plan.import_names, {}};
            for (const auto& file : plan.files) {
                create_planned_file(file, linker);
                done.files.push_back(file.dest);
            }
            out.installed.push_back(std::move(done));
        }
        j.state = "committed";
        fs::atomic_write(journal_file(root), to_json(j));
    } catch (const std::exception& e) {
        auto error = as_error(e);
        try {
            roll_back(root, j);
        } catch (const std::exception& again) {
            logger().error("undoing the failed change in {} failed too: {}", root.string(),
                           again.what());
        }
        throw error;
    }
    roll_forward(root, j);
    out.id = j.id;
    return out;
}

}  // namespace omni::install
