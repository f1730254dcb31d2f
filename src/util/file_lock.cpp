#include "omni/util/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "omni/util/error.hpp"

namespace omni {

namespace {

int open_lock_file(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        throw_errno("open lock file", path.string(), errno);
    return fd;
}

bool try_flock(int fd, LockMode mode) {
    const int op = (mode == LockMode::exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
    for (;;) {
        if (::flock(fd, op) == 0)
            return true;
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK)
            return false;
        throw_errno("lock", "(lock file)", errno);
    }
}

// The exclusive holder writes its pid into the file so that a waiter that
// gives up can say who is in the way.
void record_holder(int fd) {
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) {
        [[maybe_unused]] auto n = ::pwrite(fd, pid.data(), pid.size(), 0);
    }
}

std::string read_holder(int fd) {
    char buf[32] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return {};
    std::string s(buf, static_cast<std::size_t>(n));
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

}  // namespace

FileLock FileLock::acquire(const std::filesystem::path& lock_file, LockMode mode,
                           std::chrono::milliseconds timeout) {
    const int fd = open_lock_file(lock_file);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::microseconds(200);
    try {
        while (!try_flock(fd, mode)) {
            if (std::chrono::steady_clock::now() >= deadline) {
                const std::string holder = read_holder(fd);
                throw Error(ErrorCode::lock_timeout,
                            fmt::format("timed out after {} ms waiting for lock '{}'{}",
                                        timeout.count(), lock_file.string(),
                                        holder.empty() ? std::string()
                                                       : fmt::format(" held by pid {}", holder)),
                            "another omni command is running; wait for it or stop it");
            }
            std::this_thread::sleep_for(pause);
            pause = std::min(pause * 2, std::chrono::microseconds(20000));
        }
    } catch (...) {
        ::close(fd);
        throw;
    }
    if (mode == LockMode::exclusive)
        record_holder(fd);
    return FileLock(lock_file, fd);
}

std::optional<FileLock> FileLock::try_acquire(const std::filesystem::path& lock_file,
                                              LockMode mode) {
    const int fd = open_lock_file(lock_file);
    if (!try_flock(fd, mode)) {
        ::close(fd);
        return std::nullopt;
    }
    if (mode == LockMode::exclusive)
        record_holder(fd);
    return FileLock(lock_file, fd);
}

FileLock::FileLock(FileLock&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
    if (this != &other) {
        release();
        path_ = std::move(other.path_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

FileLock::~FileLock() {
    release();
}

void FileLock::release() noexcept {
    if (fd_ >= 0) {
        ::close(fd_);  // closing the last descriptor drops the flock
        fd_ = -1;
    }
}

}  // namespace omni
