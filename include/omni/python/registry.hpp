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

struct RefreshStats {
    std::size_t queried = 0;  // run this time (new or changed files)
    std::size_t reused = 0;   // trusted from the cache after a stat
    std::size_t dropped = 0;  // gone since the last refresh
    std::size_t broken = 0;   // could not be queried (cached as broken too)
    bool rebuilt = false;     // registry.json was damaged
    bool written = false;
};

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

    // Working interpreters, best first for an empty request.
    const std::vector<InterpreterInfo>& interpreters() const { return interpreters_; }
    const RefreshStats& stats() const { return stats_; }

    // Registers an interpreter outside the usual places. Throws
    // Error(invalid_input) when it is not a working interpreter.
    InterpreterInfo adopt(const std::filesystem::path& file);
    // Forgets a path, or every interpreter a request matches; it is not
    // discovered again until adopted. Returns the paths forgotten.
    std::vector<std::filesystem::path> forget(std::string_view path_or_request);

    // The best interpreter for a request. A path request is adopted when it is
    // not known yet. Throws Error(not_found) naming the request and listing
    // what is available.
    Selection find(const PythonRequest& request);

  private:
    Home home_;
    DiscoveryRoots roots_;
    std::vector<InterpreterInfo> interpreters_;
    RefreshStats stats_;
};

// Ranks and picks from a list (the registry's rule, usable on any list).
std::optional<Selection> select_interpreter(const std::vector<InterpreterInfo>& candidates,
                                            const PythonRequest& request);
// "3.9.18 (pyenv), 3.11.2 (system)": what `find` lists when nothing matches.
std::string describe_available(const std::vector<InterpreterInfo>& interpreters);

}  // namespace omni::python
