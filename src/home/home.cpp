#include "omni/home/home.hpp"

#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"

namespace omni {

Home::Home(std::filesystem::path root) : root_(std::move(root)) {}

Home Home::from_environment() {
    if (const char* env = std::getenv("OMNI_HOME"); env != nullptr && *env != '\0')
        return Home(std::filesystem::absolute(env));
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0')
        throw Error(ErrorCode::invalid_input, "neither OMNI_HOME nor HOME is set",
                    "set OMNI_HOME to the directory omni should keep its files in");
    return Home(std::filesystem::path(home) / ".omni");
}

std::size_t Home::remove_tree(const std::filesystem::path& path) const {
    return fs::remove_tree_within(root_, path);
}

bool Home::contains(const std::filesystem::path& path) const {
    return fs::is_strictly_inside(root_, path);
}

std::filesystem::path Home::lock_file(std::string_view name) const {
    return locks_dir() / fmt::format("{}.lock", name);
}

void Home::ensure_layout() const {
    for (const auto& dir : {root_, locks_dir(), interpreters_dir(), bin_dir(), envs_dir(),
                            bubbles_dir(), cache_dir(), staging_dir()}) {
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec)
            throw Error(ErrorCode::io,
                        fmt::format("cannot create omni home directory '{}': {}", dir.string(),
                                    ec.message()),
                        "set OMNI_HOME to a writable directory");
    }
    if (::access(root_.c_str(), W_OK | X_OK) != 0)
        throw Error(ErrorCode::io, fmt::format("omni home '{}' is not writable", root_.string()),
                    "fix its permissions or set OMNI_HOME to a writable directory");
}

}  // namespace omni
