#include "omni/home/staging.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni {

namespace {

// Start time of a process in clock ticks since boot (field 22 of
// /proc/PID/stat), so that a reused pid is not taken for the owner.
std::string process_start_time(long pid) {
    std::ifstream in(fmt::format("/proc/{}/stat", pid));
    std::string stat;
    if (!std::getline(in, stat))
        return {};
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
        return {};
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && rest >> field; ++i) {
        // A zombie (state Z) has finished: its staging is as dead as it is.
        // Containers whose first process does not reap orphans keep them.
        if (i == 3 && field == "Z")
            return {};
        if (i == 22)
            return field;
    }
    return {};
}

bool owner_alive(std::string_view name) {
    // <purpose>.<pid>.<start>.<unique>
    std::vector<std::string_view> parts;
    std::size_t pos = 0;
    while (pos <= name.size()) {
        const auto dot = name.find('.', pos);
        parts.push_back(name.substr(pos, dot - pos));
        if (dot == std::string_view::npos)
            break;
        pos = dot + 1;
    }
    if (parts.size() < 4)
        return false;
    const auto pid_text = parts[parts.size() - 3];
    long pid = 0;
    if (std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), pid).ec != std::errc())
        return false;
    const std::string start = process_start_time(pid);
    return !start.empty() && start == parts[parts.size() - 2];
}

}  // namespace

StagingDir StagingDir::create(const Home& home, std::string_view purpose) {
    static const std::string self_start = process_start_time(::getpid());
    const auto path = home.staging_dir() / fmt::format("{}.{}.{}.{}", purpose, ::getpid(),
                                                       self_start, fs::unique_suffix());
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec)
        throw_errno("create staging directory", path.string(), ec.value());
    return StagingDir(path);
}

StagingDir::StagingDir(StagingDir&& other) noexcept
    : path_(std::move(other.path_)), done_(std::exchange(other.done_, true)) {}

StagingDir::~StagingDir() {
    if (done_)
        return;
    try {
        fs::remove_tree(path_);
    } catch (const std::exception& e) {
        logger().warn("could not remove staging directory: {}", e.what());
    }
}

bool StagingDir::publish(const std::filesystem::path& final_path) {
    done_ = true;
    return fs::publish_directory(path_, final_path);
}

std::size_t remove_stale_staging(const Home& home) {
    std::size_t removed = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(home.staging_dir(), ec)) {
        const std::string name = entry.path().filename().string();
        if (owner_alive(name))
            continue;
        try {
            fs::remove_tree(entry.path());
            ++removed;
            logger().debug("removed stale staging directory {}", entry.path().string());
        } catch (const std::exception& e) {
            logger().warn("could not remove stale staging directory: {}", e.what());
        }
    }
    return removed;
}

std::size_t remove_stale_temp_files(const std::filesystem::path& dir) {
    std::size_t removed = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        const auto mark = name.find(".tmp.");
        if (name.empty() || name[0] != '.' || mark == std::string::npos)
            continue;
        long pid = 0;
        const char* first = name.data() + mark + 5;
        if (std::from_chars(first, name.data() + name.size(), pid).ec != std::errc() || pid <= 0)
            continue;
        if (!process_start_time(pid).empty())
            continue;  // its writer is alive
        if (std::filesystem::remove(entry.path(), ec))
            ++removed;
    }
    return removed;
}

}  // namespace omni
