#pragma once
// The shims in $OMNI_HOME/bin, pyenv's way: python, python3, python3.X, pip,
// pip3, pip3.X and every console script of the main envs are symlinks to
// bin/.omni, itself a link to the omni binary. Run under such a name, omni
// picks the interpreter as its commands do (OMNI_PYTHON, .python-version in
// the working directory or a parent, the global choice) and execs the
// command from that interpreter's main env.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/home/home.hpp"
#include "omni/python/choice.hpp"
#include "omni/python/registry.hpp"

namespace omni::python {

// The name every shim links to, inside bin/.
inline constexpr std::string_view shim_link_name = ".omni";

// Whether a file name may become a shim: [A-Za-z0-9][A-Za-z0-9._+-]*, at
// most 100 characters, and not omni's own name. Script names come from
// wheels: data.
bool is_shim_name(std::string_view name);

struct RehashOutcome {
    std::vector<std::string> added;
    std::vector<std::string> removed;
    std::vector<std::string> kept_foreign;  // names in bin/ that are not omni's shims
};

// Under locks/shims.lock: points bin/.omni at `binary`, adds a shim for
// every name in the main envs' bin/ (and python, python3, pip, pip3), and
// removes omni's shims whose names no env has any more. Each shim is a
// symlink created beside its name and renamed over it. Files in bin/ that
// are not omni's shims are left alone.
RehashOutcome rehash(const Home& home, const std::filesystem::path& binary);

// What a shim runs now.
struct ShimTarget {
    std::filesystem::path program;  // the file to exec
    std::filesystem::path env;      // the main env it comes from
    InterpreterInfo interpreter;
    std::string origin;  // where the choice came from, for messages
    bool env_created = false;
};

// Resolves `name` for a shim. Trusts registry.json as it is (no discovery)
// and refreshes only when it has no match or the match is gone; creates the
// main env when it is missing. Throws Error(not_found) when the chosen
// interpreter lacks the command, naming the interpreters whose main env has
// it.
ShimTarget resolve_shim(const Home& home, std::string_view name, const ChoiceInputs& inputs);

// The env bin/python runs when neither OMNI_PYTHON nor a .python-version
// applies: the global choice's main env; empty when there is none yet.
std::filesystem::path shim_target(const Home& home);

}  // namespace omni::python
