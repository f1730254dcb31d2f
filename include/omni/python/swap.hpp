#pragma once
// `omni swap python`: the global choice, and the PATH line for the shims.
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
};

// Resolves, creates the main env when missing, then under locks/swap.lock
// records python.active. The shims read the choice when they run, so they
// need no change (a rehash adds the new env's names).
SwapOutcome swap_python(const Home& home, Registry& registry, const PythonRequest& request);

// Whether `dir` is one of $PATH's entries.
bool on_path(const std::filesystem::path& dir);
// The line to put in a shell profile: bash, zsh (POSIX export) or fish.
std::string shell_path_line(const Home& home, std::string_view shell);

}  // namespace omni::python
