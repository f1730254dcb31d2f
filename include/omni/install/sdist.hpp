#pragma once
// Source distributions (.tar.gz, .zip): safe unpacking, and their PKG-INFO,
// which stands for the built wheel's METADATA when PEP 643 says it may.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace omni::install {

bool is_sdist_filename(std::string_view filename);

// Unpacks `sdist` into `dest` (which must not exist) with the hostile-archive
// checks of python::extract_archive, and returns the project's root: the
// single top-level directory (PEP 625: <name>-<version>/). Error(integrity)
// naming the file when it is damaged, hostile or has no single root.
std::filesystem::path unpack_sdist(const std::filesystem::path& sdist,
                                   const std::filesystem::path& dest);

// The text of <root>/PKG-INFO read straight from the archive, when present.
std::optional<std::string> read_sdist_pkg_info(const std::filesystem::path& sdist);

// Whether PKG-INFO may stand for the wheel's METADATA: Metadata-Version 2.2
// or later, and neither Requires-Dist nor Requires-Python marked Dynamic.
bool pkg_info_is_static(std::string_view pkg_info);

}  // namespace omni::install
