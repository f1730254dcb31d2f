#pragma once
// `omni swap python`: the global choice and the shims in $OMNI_HOME/bin.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "omni/home/home.hpp"
#include "omni/python/interpreter.hpp"
#include "omni/python/registry.hpp"

namespace omni::python {

struct SwapOutcome {
    Selection selection;
    std::filesystem::path env;  // the main env the shims now run
    std::vector<std::string> shims;
};

// Resolves, creates the main env when missing, then under locks/swap.lock
// records python.active and re-points the shims, so that the config and the
// shims always agree.
SwapOutcome swap_python(const Home& home, Registry& registry, const PythonRequest& request);

// Points bin/python, bin/python3 and bin/python3.X at `env`'s python. Each
// shim is a two-line sh script (a symlink would make Python miss the venv:
// it looks for pyvenv.cfg beside the path it was started by) replaced by
// renaming a temp file over it, never deleted first. python3.Y shims of the
// previous choice are removed. Returns the shim names.
std::vector<std::string> point_shims(const Home& home, const std::filesystem::path& env,
                                     const InterpreterInfo& info);

// The env the shim bin/python runs, read back from the shim; empty if none.
std::filesystem::path shim_target(const Home& home, std::string_view name = "python");

// Whether `dir` is one of $PATH's entries.
bool on_path(const std::filesystem::path& dir);
// The line to put in a shell profile: bash, zsh (POSIX export) or fish.
std::string shell_path_line(const Home& home, std::string_view shell);

}  // namespace omni::python
