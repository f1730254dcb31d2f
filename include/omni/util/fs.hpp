#pragma once
// File-system operations that keep shared state whole under crashes and
// concurrency: readers either see the old file or the new one, never a mix.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace omni::fs {

namespace stdfs = std::filesystem;

// Reads a whole file; throws omni::Error naming the path when it cannot.
std::string read_file(const stdfs::path& path);

// Writes `content` to a temp file beside `path`, fsyncs it, renames it over
// `path` and fsyncs the directory. `mode` applies to a new file.
void atomic_write(const stdfs::path& path, std::string_view content, unsigned mode = 0644);

// Creates a new file (it must not exist) with `content`, without fsync:
// for trees built in staging, which sync_filesystem makes durable in one
// call before they are published.
void write_new_file(const stdfs::path& path, std::string_view content, unsigned mode = 0644);

// syncfs(2) of the file system holding `path`.
void sync_filesystem(const stdfs::path& path);

// Moves a fully built directory to its final place with one rename.
// Returns false, and removes `staged`, when `final_path` already exists:
// another process published the same thing first and that copy wins.
bool publish_directory(const stdfs::path& staged, const stdfs::path& final_path);

struct LinkStats {
    std::size_t linked = 0;
    std::size_t copied = 0;
    std::size_t directories = 0;
    std::size_t symlinks = 0;
};

// Recreates the tree under `source` at `dest` (which must not exist yet) with
// hard links, copying a file where linking is impossible (another file
// system, link limit). Symlinks are recreated as symlinks.
LinkStats hardlink_tree(const stdfs::path& source, const stdfs::path& dest);

// Removes a tree without following symlinks, making read-only directories
// writable as needed. Refuses the root directory and relative paths with
// fewer than two components. Missing paths are fine. Returns entries removed.
std::size_t remove_tree(const stdfs::path& path);

// remove_tree, only for a path strictly inside `root` (compared after both
// are made absolute and lexically normal, so "a/../../x" cannot escape).
// Anything else is refused with Error(internal) naming both.
std::size_t remove_tree_within(const stdfs::path& root, const stdfs::path& path);

// Whether `path` is strictly inside `root`, lexically (no symlinks resolved).
bool is_strictly_inside(const stdfs::path& root, const stdfs::path& path);

// fsync of a directory, so a rename inside it survives a power cut.
void sync_directory(const stdfs::path& dir);

// A name unique to this process and call, for temp files and staging dirs.
std::string unique_suffix();

}  // namespace omni::fs
