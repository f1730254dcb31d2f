#pragma once
// registry.json: the interpreters of this machine and what their query said,
// keyed by path and trusted while the file's size and mtime are unchanged.
// It is a cache: a damaged file is rebuilt with a warning.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/home/home.hpp"
#include "omni/python/discovery.hpp"
#include "omni/python/interpreter.hpp"
#include "omni/python/request.hpp"

namespace omni::python {

namespace detail {
struct RegistryDoc;
}

struct RefreshStats {
    std::size_t queried = 0;  // run this time (new or changed files)
    std::size_t reused = 0;   // trusted from the cache after a stat
    std::size_t dropped = 0;  // gone since the last refresh
    std::size_t broken = 0;   // could not be queried (cached as broken too)
    bool rebuilt = false;     // registry.json was damaged
    bool written = false;
};

// What find() does with a path request naming an interpreter it does not
// know. A path read from data (a .python-version, OMNI_PYTHON, the global
// choice, swap's argument) is refused: running it to query it would run
// whatever the file is. Only a path the user typed as --python is adopted.
enum class UnknownPath { refuse, adopt };

struct Selection {
    InterpreterInfo interpreter;
    std::string explanation;  // why this one, for -v
};

class Registry {
  public:
    Registry(Home home, DiscoveryRoots roots);

    // Discovers, stats every candidate, queries only the new or changed ones
    // (in parallel), drops vanished ones, and rewrites registry.json under
    // locks/registry.lock when anything changed. Cheap when nothing did.
    void refresh();
    // Takes registry.json as it is, without discovering or stat-ing anything:
    // the cheap start of a shim, which refreshes only when that is not enough.
    // Returns false when there is no usable registry.json.
    bool load_cached();

    // Working interpreters, best first for an empty request.
    const std::vector<InterpreterInfo>& interpreters() const { return interpreters_; }
    const RefreshStats& stats() const { return stats_; }

    // Registers an interpreter outside the usual places. Throws
    // Error(invalid_input) when it is not a working interpreter.
    InterpreterInfo adopt(const std::filesystem::path& file);
    // Forgets a path, or every interpreter a request matches; it is not
    // discovered again until adopted. Returns the paths forgotten.
    std::vector<std::filesystem::path> forget(std::string_view path_or_request);

    // The best interpreter for a request. Throws Error(not_found) naming the
    // request and listing what is available. A path request is accepted when
    // the path is a known interpreter or an interpreter-named file in the
    // directory of one (or in the bin/ of a main env); any other path is
    // adopted with UnknownPath::adopt, else refused unrun
    // (Error(invalid_input)).
    Selection find(const PythonRequest& request, UnknownPath unknown = UnknownPath::refuse);

  private:
    void use_entries(const detail::RegistryDoc& doc);

    Home home_;
    DiscoveryRoots roots_;
    std::vector<InterpreterInfo> interpreters_;
    RefreshStats stats_;
};

// Whether `key` (a registry key) is an interpreter-named file in the
// directory of one of `known`, or in envs/<name>/bin of the home: such a file
// may be queried although nobody adopted it.
bool in_known_interpreter_dir(const std::filesystem::path& key,
                              const std::vector<InterpreterInfo>& known, const Home& home);

// Ranks and picks from a list (the registry's rule, usable on any list).
std::optional<Selection> select_interpreter(const std::vector<InterpreterInfo>& candidates,
                                            const PythonRequest& request);
// "3.9.18 (pyenv), 3.11.2 (system)": what `find` lists when nothing matches.
std::string describe_available(const std::vector<InterpreterInfo>& interpreters);

}  // namespace omni::python
