#pragma once
// Extraction of downloaded tar archives (gz, zst, xz, bz2) and zips, which are hostile
// until proven otherwise. Every member is checked before anything of it is
// written: no absolute paths, no ".." components, nothing written through a
// symlink, no symlink that resolves (following the archive's other symlinks)
// outside the extraction root, no hardlink to anything but a regular file
// extracted before it, no devices, fifos or sockets, no member twice, no
// setuid/setgid bits. libarchive's ARCHIVE_EXTRACT_SECURE_* checks run too.
#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace omni::python {

struct ExtractStats {
    std::size_t files = 0;
    std::size_t directories = 0;
    std::size_t symlinks = 0;
    std::size_t hardlinks = 0;
    std::uint64_t bytes = 0;
};

// Extracts `archive` into `dest`, which must not exist yet. On any failure
// `dest` is removed with whatever was written, and an Error is thrown:
// integrity (naming the archive and the offending member) for a hostile or
// damaged archive, io when the disk refuses.
ExtractStats extract_archive(const std::filesystem::path& archive,
                             const std::filesystem::path& dest);

}  // namespace omni::python
