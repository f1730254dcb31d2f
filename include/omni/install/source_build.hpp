#pragma once
// Building a wheel from a source tree with its PEP 517 backend (or an
// editable wheel with PEP 660), in a child process of the target
// interpreter. With isolation the child sees only the stdlib and a throw-away
// build environment holding the tree's build requirements; without it, the
// target env's packages.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "omni/home/home.hpp"

namespace omni::install {

struct SourceBuild {
    std::filesystem::path source_dir;   // an unpacked sdist or a project directory
    std::string label;                  // "foo 1.0" or the directory, for messages
    std::filesystem::path base_python;  // the interpreter itself, for isolated builds
    std::filesystem::path env_python;   // the target env's python, without isolation
    bool isolation = true;
    bool editable = false;          // build_editable instead of build_wheel
    std::filesystem::path out_dir;  // the wheel is written here
    // Installs requirements into a directory (importable at its root) for the
    // interpreter. Called for [build-system].requires, then for what
    // get_requires_for_build_* adds.
    std::function<void(const std::vector<std::string>& requirements,
                       const std::filesystem::path& root)>
        install_requirements;
};

// Returns the path of the built wheel. On failure throws Error(process)
// naming the project, the backend and the hook, with the log's path and its
// last lines; the log is kept under $OMNI_HOME/logs/. On success the build
// output goes to the debug log only.
std::filesystem::path build_from_source(const Home& home, const SourceBuild& build);

}  // namespace omni::install
