#pragma once
// Where interpreters are looked for, and the candidates found there.
#include <filesystem>
#include <string_view>
#include <vector>

#include "omni/home/home.hpp"
#include "omni/python/interpreter.hpp"

namespace omni::python {

struct DiscoveryRoots {
    std::filesystem::path managed_dir;               // $OMNI_HOME/interpreters (*/bin)
    std::filesystem::path pyenv_versions;            // $PYENV_ROOT/versions (*/bin)
    std::filesystem::path uv_dir;                    // ~/.local/share/uv/python (*/bin)
    std::vector<std::filesystem::path> path_dirs;    // $PATH
    std::vector<std::filesystem::path> system_dirs;  // /usr/bin, /usr/local/bin
    // Never looked into: omni's own shims and envs, pyenv's shims.
    std::vector<std::filesystem::path> skip_dirs;

    // The roots of this machine, from the environment.
    static DiscoveryRoots from_environment(const Home& home);
};

struct Candidate {
    std::filesystem::path path;  // registry key: resolved unless inside a venv
    Source source;
};

// python, python3, python3.12, python3.13t, python2.7 (not python3-config).
bool is_interpreter_name(std::string_view name);

// The registry key of a file: its real path, except that a venv's python
// stays as it is (resolving it would lose the venv). Empty when it does not
// exist.
std::filesystem::path registry_key(const std::filesystem::path& file);

// Every candidate, each real interpreter once, under its most preferred source.
std::vector<Candidate> discover(const DiscoveryRoots& roots);

}  // namespace omni::python
