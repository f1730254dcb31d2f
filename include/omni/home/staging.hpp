#pragma once
// Work in progress lives under staging/ in a directory named after its owner
// process, so that whatever a crash leaves behind can be told from live work.
#include <cstddef>
#include <filesystem>
#include <string_view>

#include "omni/home/home.hpp"

namespace omni {

class StagingDir {
  public:
    // Creates staging/<purpose>.<pid>.<start-time>.<unique>/.
    static StagingDir create(const Home& home, std::string_view purpose);

    StagingDir(StagingDir&& other) noexcept;
    StagingDir& operator=(StagingDir&&) = delete;
    StagingDir(const StagingDir&) = delete;
    ~StagingDir();  // removes the directory unless it was published

    const std::filesystem::path& path() const { return path_; }
    // Moves the directory to `final_path` (see fs::publish_directory).
    // Returns false when another copy was there first; this one is removed.
    bool publish(const std::filesystem::path& final_path);

  private:
    explicit StagingDir(std::filesystem::path path) : path_(std::move(path)) {}
    std::filesystem::path path_;
    bool done_ = false;
};

// Removes staging directories whose owner process is gone. Returns how many.
std::size_t remove_stale_staging(const Home& home);

// Removes temp files left in `dir` by fs::atomic_write in processes that
// died mid-write (".<name>.tmp.<pid>-..."). Returns how many.
std::size_t remove_stale_temp_files(const std::filesystem::path& dir);

}  // namespace omni
