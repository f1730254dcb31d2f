#include "omni/bubble/store.hpp"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "omni/home/staging.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::bubble {

namespace {

Error in_use_error(std::string_view name, std::string_view version, std::string_view env_key,
                   std::string_view what) {
    return Error(
        ErrorCode::conflict,
        fmt::format("bubble {}=={} ({}) is in use by a running command", name, version, env_key),
        fmt::format("{} it when that command (omni exec, run, matrix or a python using "
                    "omni_loader) has ended",
                    what));
}

std::string now_utc() {
    return fmt::format(
        "{:%Y-%m-%dT%H:%M:%SZ}",
        fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

}  // namespace

BubbleStore::BubbleStore(Home home) : home_(std::move(home)) {}

std::filesystem::path BubbleStore::path_for(std::string_view env_key, std::string_view name,
                                            std::string_view version,
                                            std::string_view variant) const {
    return home_.bubbles_dir() / std::string(env_key) / bubble_dir_name(name, version, variant);
}

std::filesystem::path BubbleStore::lock_path(const BubbleSpec& spec) const {
    return home_.lock_file(fmt::format("bubble-{}-{}", spec.env_key,
                                       bubble_dir_name(spec.name, spec.version, spec.variant)));
}

std::filesystem::path BubbleStore::use_lock_path(std::string_view env_key, std::string_view name,
                                                 std::string_view version,
                                                 std::string_view variant) const {
    return home_.lock_file(
        fmt::format("bubble-use-{}-{}", env_key, bubble_dir_name(name, version, variant)));
}

FileLock BubbleStore::hold(const BubbleInfo& bubble) const {
    return FileLock::acquire(
        use_lock_path(bubble.env_key, bubble.name, bubble.version, bubble.variant),
        LockMode::shared, std::chrono::minutes(1));
}

bool BubbleStore::in_use(const BubbleInfo& bubble) const {
    return !FileLock::try_acquire(
                use_lock_path(bubble.env_key, bubble.name, bubble.version, bubble.variant),
                LockMode::exclusive)
                .has_value();
}

std::optional<BubbleInfo> BubbleStore::find(std::string_view env_key, std::string_view name,
                                            std::string_view version,
                                            std::string_view variant) const {
    const auto dir = path_for(env_key, name, version, variant);
    std::error_code ec;
    if (!std::filesystem::exists(dir / "bubble.json", ec))
        return std::nullopt;
    auto info = read_bubble(dir);
    if (!info)
        throw info.error();
    return *info;
}

std::vector<BubbleInfo> BubbleStore::list(std::optional<std::string_view> env_key) const {
    std::vector<BubbleInfo> out;
    std::error_code ec;
    for (const auto& env_dir : std::filesystem::directory_iterator(home_.bubbles_dir(), ec)) {
        if (!env_dir.is_directory())
            continue;
        if (env_key && env_dir.path().filename() != *env_key)
            continue;
        for (const auto& dir : std::filesystem::directory_iterator(env_dir.path(), ec)) {
            auto info = read_bubble(dir.path());
            if (info)
                out.push_back(std::move(*info));
            else
                logger().warn("skipping bubble {}: {}", dir.path().string(), info.error().what());
        }
    }
    std::sort(out.begin(), out.end(), [](const BubbleInfo& a, const BubbleInfo& b) {
        return std::tie(a.env_key, a.name, a.version, a.variant) <
               std::tie(b.env_key, b.name, b.version, b.variant);
    });
    return out;
}

EnsureResult BubbleStore::ensure(const BubbleSpec& spec, const BubbleBuilder& build) {
    if (auto existing = find(spec.env_key, spec.name, spec.version, spec.variant))
        return {*existing, false};
    const auto lock =
        FileLock::acquire(lock_path(spec), LockMode::exclusive, std::chrono::minutes(10));
    if (auto existing = find(spec.env_key, spec.name, spec.version, spec.variant))
        return {*existing, false};

    auto staging = StagingDir::create(home_, "bubble");
    BubbleInfo info;
    info.env_key = spec.env_key;
    info.name = spec.name;
    info.version = spec.version;
    info.requirement = spec.requirement;
    info.variant = spec.variant;
    info.created = now_utc();
    info.distributions = build(staging.path());
    // bubble.json last: a directory without it is never taken for a bubble.
    fs::write_new_file(staging.path() / "bubble.json", to_json_text(info));
    fs::sync_filesystem(staging.path());  // durable before it becomes visible
    const auto final_path = path_for(spec.env_key, spec.name, spec.version, spec.variant);
    const bool published = staging.publish(final_path);
    info.path = final_path;
    logger().info("bubble {} {}", final_path.string(), published ? "built" : "was built meanwhile");
    return {info, published};
}

bool BubbleStore::remove(std::string_view env_key, std::string_view name, std::string_view version,
                         std::string_view variant) {
    const BubbleSpec spec{std::string(env_key), std::string(name), std::string(version), "",
                          std::string(variant)};
    const auto lock =
        FileLock::acquire(lock_path(spec), LockMode::exclusive, std::chrono::minutes(1));
    const auto dir = path_for(env_key, name, version, variant);
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec))
        return false;
    const auto users =
        FileLock::try_acquire(use_lock_path(env_key, name, version, variant), LockMode::exclusive);
    if (!users)
        throw in_use_error(name, version, env_key, "remove");
    // Out of sight first, so nobody activates a half-deleted bubble.
    auto graveyard = StagingDir::create(home_, "removed-bubble");
    const auto target = graveyard.path() / "bubble";
    std::filesystem::rename(dir, target, ec);
    if (ec)
        throw_errno("remove bubble", dir.string(), ec.value());
    return true;  // the staging dir's destructor deletes it
}

BubbleInfo BubbleStore::replace(const BubbleInfo& bubble, const BubbleBuilder& build) {
    const BubbleSpec spec{bubble.env_key, bubble.name, bubble.version, bubble.requirement,
                          bubble.variant};
    const auto lock =
        FileLock::acquire(lock_path(spec), LockMode::exclusive, std::chrono::minutes(10));
    // Held to the end: nobody starts using the bubble while it is swapped.
    const auto users = FileLock::try_acquire(
        use_lock_path(bubble.env_key, bubble.name, bubble.version, bubble.variant),
        LockMode::exclusive);
    if (!users)
        throw in_use_error(bubble.name, bubble.version, bubble.env_key, "repair");
    auto staging = StagingDir::create(home_, "bubble");
    BubbleInfo info = bubble;
    info.created = now_utc();
    info.distributions = build(staging.path());
    fs::write_new_file(staging.path() / "bubble.json", to_json_text(info));
    fs::sync_filesystem(staging.path());
    const auto final_path = path_for(bubble.env_key, bubble.name, bubble.version, bubble.variant);
    info.path = final_path;
    std::error_code ec;
    if (!std::filesystem::exists(final_path, ec)) {
        staging.publish(final_path);  // removed meanwhile: this copy is the bubble now
        return info;
    }
    if (::renameat2(AT_FDCWD, staging.path().c_str(), AT_FDCWD, final_path.c_str(),
                    RENAME_EXCHANGE) != 0) {
        if (errno != EINVAL && errno != ENOSYS)
            throw_errno("replace bubble", final_path.string(), errno);
        // No exchange on this file system: the old copy out of sight, then the new one in.
        auto graveyard = StagingDir::create(home_, "replaced-bubble");
        std::filesystem::rename(final_path, graveyard.path() / "bubble", ec);
        if (ec)
            throw_errno("replace bubble", final_path.string(), ec.value());
        staging.publish(final_path);
        return info;
    }
    logger().info("bubble {} rebuilt", final_path.string());
    return info;  // the staging dir holds the old copy now; its destructor deletes it
}

}  // namespace omni::bubble
