#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "index/file_checks.hpp"
#include "omni/home/staging.hpp"
#include "omni/index/cache.hpp"
#include "omni/index/url.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"
#include "omni/util/log.hpp"

namespace omni {

namespace {

constexpr const char* size_sidecar = ".omni-size";

// The entry is whole: the file is there, its size is what was published,
// and (when cheap) its hash is the directory's name.
bool entry_intact(const std::filesystem::path& dir, const std::string& sha256,
                  const std::filesystem::path& file) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec)
        return false;
    try {
        if (std::stoull(fs::read_file(dir / size_sidecar)) != size)
            return false;
    } catch (...) {
        return false;
    }
    return size > WheelCache::rehash_limit || sha256_file(file) == sha256;
}

enum class EntryState { absent, intact, damaged };

EntryState entry_state(const std::filesystem::path& dir, const std::string& sha256,
                       const std::string& filename) {
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec))
        return EntryState::absent;
    return entry_intact(dir, sha256, dir / filename) ? EntryState::intact : EntryState::damaged;
}

std::string lock_name(const std::string& key) {
    return "wheel-" + key.substr(0, 32);
}

}  // namespace

WheelCache::WheelCache(Home home, Downloader downloader, bool offline)
    : home_(std::move(home)), downloader_(std::move(downloader)), offline_(offline) {}

std::filesystem::path WheelCache::entry_dir(const std::string& sha256) const {
    if (!is_sha256_hex(sha256))
        throw Error(ErrorCode::integrity,
                    fmt::format("'{}' is not a sha256 and cannot name a cache entry", sha256),
                    "the index page is damaged or hostile");
    return home_.cache_dir() / "wheels" / sha256;
}

namespace {

void check_file_name(const std::string& filename) {
    if (auto problem = index_detail::file_name_problem(filename))
        throw Error(ErrorCode::integrity,
                    fmt::format("'{}' cannot be stored in the cache: {}", filename, *problem),
                    "the index page is damaged or hostile");
}

}  // namespace

std::optional<std::filesystem::path> WheelCache::find(const std::string& sha256,
                                                      const std::string& filename) const {
    check_file_name(filename);
    const auto dir = entry_dir(sha256);
    switch (entry_state(dir, sha256, filename)) {
        case EntryState::intact:
            return dir / filename;
        case EntryState::absent:
            return std::nullopt;
        case EntryState::damaged:
            break;
    }
    // A damaged entry is removed under its lock, unless it was repaired meanwhile.
    std::filesystem::create_directories(home_.locks_dir());
    const auto lock = FileLock::acquire(home_.lock_file(lock_name(sha256)), LockMode::exclusive);
    if (entry_state(dir, sha256, filename) == EntryState::intact)
        return dir / filename;
    logger().warn("removing damaged cache entry {}", dir.string());
    home_.remove_tree(dir);
    return std::nullopt;
}

std::filesystem::path WheelCache::fetch(const DistFile& file) const {
    return fetch_all({file}).front();
}

std::vector<std::filesystem::path> WheelCache::fetch_all(const std::vector<DistFile>& files) const {
    std::vector<std::filesystem::path> paths(files.size());
    std::vector<std::size_t> missing;
    for (const auto& file : files)
        check_file_name(file.filename);
    for (std::size_t i = 0; i < files.size(); ++i) {
        auto sha = files[i].sha256();
        if (!sha && (is_file_url(files[i].url) || is_plain_path(files[i].url))) {
            // A local wheel (a find-links directory) already in the cache
            // is not copied again: its hash says which entry is its.
            std::error_code ec;
            const auto local = is_file_url(files[i].url) ? file_url_to_path(files[i].url)
                                                         : std::filesystem::path(files[i].url);
            if (std::filesystem::is_regular_file(local, ec))
                sha = sha256_file(local);
        }
        if (sha) {
            if (auto found = find(*sha, files[i].filename)) {
                paths[i] = *found;
                continue;
            }
        }
        if (offline_)
            throw Error(ErrorCode::not_found,
                        fmt::format("offline: {} is not in the cache", files[i].filename),
                        "run once without --offline to download it");
        missing.push_back(i);
    }
    if (missing.empty())
        return paths;

    // Lock every missing entry in one order (no deadlock between processes
    // fetching overlapping sets), then look again: another holder may have
    // published it while we waited.
    std::map<std::string, std::vector<std::size_t>> by_key;
    for (const auto i : missing)
        by_key[files[i].sha256().value_or("url-" + sha256_hex(files[i].url))].push_back(i);
    std::filesystem::create_directories(home_.locks_dir());
    std::filesystem::create_directories(home_.cache_dir() / "wheels");
    std::vector<FileLock> locks;
    std::vector<std::size_t> to_fetch;
    for (const auto& [key, indices] : by_key) {
        locks.push_back(FileLock::acquire(home_.lock_file(lock_name(key)), LockMode::exclusive,
                                          std::chrono::minutes(10)));
        const auto& file = files[indices.front()];
        const auto state =
            file.sha256() ? entry_state(entry_dir(key), key, file.filename) : EntryState::absent;
        if (state == EntryState::intact) {
            for (const auto i : indices)
                paths[i] = entry_dir(key) / file.filename;
        } else {
            if (state == EntryState::damaged) {
                logger().warn("removing damaged cache entry {}", entry_dir(key).string());
                home_.remove_tree(entry_dir(key));
            }
            to_fetch.push_back(indices.front());
        }
    }

    auto staging = StagingDir::create(home_, "download");
    std::vector<DownloadRequest> requests;
    for (std::size_t n = 0; n < to_fetch.size(); ++n) {
        const auto& file = files[to_fetch[n]];
        requests.push_back(DownloadRequest{
            file.url, staging.path() / std::to_string(n) / file.filename, file.sha256(), {}});
    }
    const auto outcomes = downloader_.fetch_all(requests);
    std::optional<Error> first_error;
    for (std::size_t n = 0; n < to_fetch.size(); ++n) {
        const auto& outcome = outcomes[n];
        const auto& file = files[to_fetch[n]];
        if (!outcome.ok()) {
            if (!first_error)
                first_error = *outcome.error;
            continue;
        }
        const auto entry = staging.path() / std::to_string(n);
        fs::atomic_write(entry / size_sidecar, std::to_string(outcome.bytes));
        const auto final_dir = entry_dir(outcome.sha256);
        if (!file.sha256() &&
            entry_state(final_dir, outcome.sha256, file.filename) == EntryState::damaged)
            home_.remove_tree(final_dir);
        fs::publish_directory(entry, final_dir);
        const auto published = final_dir / file.filename;
        const auto key = file.sha256().value_or("url-" + sha256_hex(file.url));
        for (const auto i : by_key[key])
            paths[i] = published;
    }
    if (first_error)
        throw *first_error;
    return paths;
}

}  // namespace omni
