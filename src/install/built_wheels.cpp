#include "omni/install/built_wheels.hpp"

#include <fmt/format.h>

#include "omni/home/staging.hpp"
#include "omni/util/error.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::install {

namespace stdfs = std::filesystem;

namespace {

std::optional<stdfs::path> find_wheel(const stdfs::path& dir) {
    std::error_code ec;
    for (const auto& entry : stdfs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".whl")
            return entry.path();
    return std::nullopt;
}

}  // namespace

BuiltWheel cached_build(const Home& home, const std::string& sdist_sha256,
                        const std::string& interpreter_tag,
                        const std::function<stdfs::path(const stdfs::path&)>& build) {
    const auto dir = home.cache_dir() / "built" / sdist_sha256 / interpreter_tag;
    if (auto wheel = find_wheel(dir))
        return {*wheel, false};
    const auto lock = FileLock::acquire(
        home.lock_file(fmt::format("build-{}-{}", sdist_sha256.substr(0, 16), interpreter_tag)),
        LockMode::exclusive, std::chrono::minutes(30));
    if (auto wheel = find_wheel(dir))
        return {*wheel, false};
    auto staging = StagingDir::create(home, "built-wheel");
    const auto built = build(staging.path() / "out");
    // Only the wheel is published: the build's scratch stays in staging.
    auto publish = StagingDir::create(home, "built-wheel-publish");
    stdfs::rename(built, publish.path() / built.filename());
    fs::sync_filesystem(publish.path());
    stdfs::create_directories(dir.parent_path());
    publish.publish(dir);
    logger().info("built {} from sdist {}", built.filename().string(), sdist_sha256);
    const auto wheel = find_wheel(dir);
    if (!wheel)
        throw Error(ErrorCode::corrupt_state,
                    fmt::format("the build cache entry '{}' holds no wheel", dir.string()),
                    "remove it with 'omni cache clean'");
    return {*wheel, true};
}

}  // namespace omni::install
