#pragma once
// A source tree's [build-system] (PEP 518/517): what a build needs installed
// and which backend builds it. A tree without pyproject.toml, or without the
// table, gets setuptools' legacy backend as pip and uv do.
#include <filesystem>
#include <string>
#include <vector>

namespace omni::install {

struct BuildSystem {
    std::vector<std::string> requirements;  // PEP 508: what the build needs installed
    std::string backend = "setuptools.build_meta:__legacy__";
    std::vector<std::string> backend_path;  // relative to the tree: in-tree backends
    bool declared = false;                  // pyproject.toml has [build-system]
};

// Reads <source_dir>/pyproject.toml. Throws Error(invalid_input) naming the
// file and the problem for bad TOML or a malformed table.
BuildSystem read_build_system(const std::filesystem::path& source_dir);

}  // namespace omni::install
