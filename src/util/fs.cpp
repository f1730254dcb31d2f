#include "omni/util/fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <random>
#include <utility>

#include <fmt/format.h>

#include "omni/util/error.hpp"

namespace omni::fs {

namespace {

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

  private:
    int fd_;
};

void write_all(int fd, std::string_view data, const stdfs::path& path) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw_errno("write", path.string(), errno);
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

void copy_file_contents(const stdfs::path& from, const stdfs::path& to) {
    std::error_code ec;
    stdfs::copy_file(from, to, stdfs::copy_options::none, ec);
    if (ec)
        throw_errno("copy to", to.string(), ec.value());
}

}  // namespace

std::string unique_suffix() {
    static std::atomic<unsigned long> counter{0};
    thread_local std::mt19937_64 rng{std::random_device{}() ^
                                     static_cast<unsigned long>(::getpid())};
    return fmt::format("{}-{}-{:x}", ::getpid(), counter.fetch_add(1), rng() & 0xffffffffu);
}

std::string read_file(const stdfs::path& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        throw_errno("read", path.string(), errno);
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw_errno("read", path.string(), errno);
        }
        if (n == 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

void sync_directory(const stdfs::path& dir) {
    Fd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() >= 0)
        ::fsync(fd.get());
}

void atomic_write(const stdfs::path& path, std::string_view content, unsigned mode) {
    const stdfs::path dir = path.parent_path();
    const stdfs::path tmp =
        dir / fmt::format(".{}.tmp.{}", path.filename().string(), unique_suffix());
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (fd.get() < 0)
        throw_errno("create", tmp.string(), errno);
    try {
        write_all(fd.get(), content, tmp);
        if (::fsync(fd.get()) != 0)
            throw_errno("fsync", tmp.string(), errno);
        if (::close(fd.release()) != 0)
            throw_errno("close", tmp.string(), errno);
        if (::rename(tmp.c_str(), path.c_str()) != 0)
            throw_errno("replace", path.string(), errno);
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
    sync_directory(dir);
}

void write_new_file(const stdfs::path& path, std::string_view content, unsigned mode) {
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (fd.get() < 0)
        throw_errno("create", path.string(), errno);
    write_all(fd.get(), content, path);
    if (::close(fd.release()) != 0)
        throw_errno("close", path.string(), errno);
}

void sync_filesystem(const stdfs::path& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() >= 0)
        ::syncfs(fd.get());
}

bool publish_directory(const stdfs::path& staged, const stdfs::path& final_path) {
    std::error_code ec;
    stdfs::create_directories(final_path.parent_path(), ec);
    // rename(2) onto an existing non-empty directory fails, which is exactly
    // the single-flight rule: the first complete copy wins.
    if (::rename(staged.c_str(), final_path.c_str()) == 0) {
        sync_directory(final_path.parent_path());
        return true;
    }
    const int err = errno;
    if (err == ENOTEMPTY || err == EEXIST) {
        remove_tree(staged);
        return false;
    }
    throw_errno("publish", final_path.string(), err);
}

LinkStats hardlink_tree(const stdfs::path& source, const stdfs::path& dest) {
    LinkStats stats;
    std::error_code ec;
    if (!stdfs::create_directory(dest, ec) || ec)
        throw_errno("create directory", dest.string(), ec ? ec.value() : EEXIST);
    ++stats.directories;
    bool linking_works = true;
    for (auto it = stdfs::recursive_directory_iterator(source);
         it != stdfs::recursive_directory_iterator(); ++it) {
        // lexically: stdfs::relative would resolve a symlink to its target.
        const stdfs::path rel = it->path().lexically_relative(source);
        const stdfs::path target = dest / rel;
        const auto status = it->symlink_status();
        if (stdfs::is_symlink(status)) {
            stdfs::create_symlink(stdfs::read_symlink(it->path()), target, ec);
            if (ec)
                throw_errno("create symlink", target.string(), ec.value());
            ++stats.symlinks;
        } else if (stdfs::is_directory(status)) {
            stdfs::create_directory(target, ec);
            if (ec)
                throw_errno("create directory", target.string(), ec.value());
            ++stats.directories;
        } else if (stdfs::is_regular_file(status)) {
            if (linking_works && ::link(it->path().c_str(), target.c_str()) == 0) {
                ++stats.linked;
                continue;
            }
            if (linking_works && errno != EXDEV && errno != EPERM && errno != EMLINK &&
                errno != ENOTSUP)
                throw_errno("link", target.string(), errno);
            if (errno == EXDEV)
                linking_works = false;
            copy_file_contents(it->path(), target);
            ++stats.copied;
        }
    }
    return stats;
}

bool is_strictly_inside(const stdfs::path& root, const stdfs::path& path) {
    if (root.empty() || path.empty())
        return false;
    const auto r = stdfs::absolute(root).lexically_normal();
    const auto p = stdfs::absolute(path).lexically_normal();
    auto ri = r.begin();
    auto pi = p.begin();
    for (; ri != r.end(); ++ri, ++pi) {
        if (ri->empty() && std::next(ri) == r.end())
            break;  // the trailing "" of "root/"
        if (pi == p.end() || *ri != *pi)
            return false;
    }
    for (; pi != p.end(); ++pi)
        if (!pi->empty())
            return true;
    return false;
}

std::size_t remove_tree_within(const stdfs::path& root, const stdfs::path& path) {
    if (!is_strictly_inside(root, path))
        throw Error(ErrorCode::internal,
                    fmt::format("refusing to remove '{}': it is not inside '{}'", path.string(),
                                root.string()));
    return remove_tree(path);
}

std::size_t remove_tree(const stdfs::path& path) {
    if (path.empty())
        throw Error(ErrorCode::internal, "refusing to remove an empty path");
    const stdfs::path abs = stdfs::absolute(path).lexically_normal();
    if (abs == abs.root_path() || std::distance(abs.begin(), abs.end()) < 3)
        throw Error(ErrorCode::internal, fmt::format("refusing to remove '{}'", path.string()));
    std::error_code ec;
    auto count = stdfs::remove_all(abs, ec);
    if (!ec)
        return static_cast<std::size_t>(count);
    // A read-only directory blocks removal of its entries: open them up and
    // try once more. Symlinks are not followed by either pass.
    for (auto it = stdfs::recursive_directory_iterator(
             abs, stdfs::directory_options::skip_permission_denied, ec);
         !ec && it != stdfs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_directory(ec) && !it->is_symlink(ec))
            ::chmod(it->path().c_str(), 0700);
    }
    ::chmod(abs.c_str(), 0700);
    ec.clear();
    count = stdfs::remove_all(abs, ec);
    if (ec)
        throw_errno("remove", abs.string(), ec.value());
    return static_cast<std::size_t>(count);
}

}  // namespace omni::fs
