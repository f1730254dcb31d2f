#pragma once
// Advisory locks on lock files (flock). A lock is held per open file, so
// threads of one process exclude each other as processes do, and the kernel
// drops the lock when its holder dies.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace omni {

enum class LockMode { shared, exclusive };

class FileLock {
  public:
    // Waits up to `timeout` for the lock. On timeout throws an Error of code
    // lock_timeout naming the file, and the holder's pid when known.
    static FileLock acquire(const std::filesystem::path& lock_file, LockMode mode,
                            std::chrono::milliseconds timeout = std::chrono::seconds(60));
    // Takes the lock only if it is free right now.
    static std::optional<FileLock> try_acquire(const std::filesystem::path& lock_file,
                                               LockMode mode);

    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    ~FileLock();

    const std::filesystem::path& path() const { return path_; }

  private:
    FileLock(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
    void release() noexcept;

    std::filesystem::path path_;
    int fd_ = -1;
};

}  // namespace omni
