#pragma once
// A matrix run over real interpreters: versions from the index, one bubble
// per (interpreter, version) cell, the test command run inside the cell's
// own directory with that bubble active, and a log per cell.
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "omni/bubble/provision.hpp"
#include "omni/matrix/runner.hpp"
#include "omni/matrix/workspace.hpp"

namespace omni::matrix {

// "all", "last:N", "1.0,1.1,2.0" or a specifier (">=0.4,<1"); the default
// (empty) is the newest 8. Versions come newest first; pre-releases and
// yanked versions only when named.
std::vector<std::string> select_versions(const bubble::ProvisionContext& context,
                                         const std::string& package, const std::string& selection);

struct MatrixSetup {
    std::string package;
    std::string test;  // a shell command; empty: import the package and print its version
    // --pytest: run the project's test suite with pytest instead, with these
    // extra arguments (shell words). pytest comes from the main env when it
    // is installed there, else from a bubble of its own.
    std::optional<std::string> pytest_args;
    std::filesystem::path project_dir;  // where pytest runs without a worktree
    // --worktree: each cell runs in its own checkout of this project.
    std::optional<GitProject> worktree;
    std::chrono::seconds timeout{600};
    std::filesystem::path log_dir;
    bool keep = false;  // keep each cell's directory
    // One provisioning context per interpreter request ("3.11").
    std::map<std::string, bubble::ProvisionContext> interpreters;
};

// The shell command a cell runs for --pytest. Without a worktree pytest runs
// in the project directory itself, so it is told not to write its cache and
// Python not to write bytecode there; temp files go to the cell's directory.
// pytest 6 and later get --import-mode=importlib (unless `args` picks a mode).
std::string pytest_command(const std::string& args, bool in_worktree,
                           const std::filesystem::path& basetemp,
                           const std::string& pytest_version);

// The executor for run_cells.
CellExecutor make_executor(const MatrixSetup& setup);

// The default test: import the package's top-level module and print its
// version and file (Python 2.7 and 3.6+).
std::string default_test(const std::vector<std::string>& import_names);

}  // namespace omni::matrix
