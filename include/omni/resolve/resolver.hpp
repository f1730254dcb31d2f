#pragma once
// A PubGrub resolver: turns requirements into one consistent set of
// distributions for one target interpreter, or explains in numbered steps
// why no such set exists.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "omni/resolve/package_source.hpp"

namespace omni::resolve {

struct ResolveOptions {
    std::vector<Dependency> requirements;
    // Restrict a project's versions without requiring it (pip's -c).
    std::vector<Dependency> constraints;
    // The target interpreter's full version, checked against Requires-Python.
    std::optional<standards::Version> python_version;
    // Allow pre-releases everywhere (--pre); otherwise PEP 440's policy.
    bool prereleases = false;
    // Pick the oldest allowed version of every package instead of the newest
    // (uv's --resolution lowest), to test a package's declared lower bounds.
    bool lowest = false;
    // Versions already installed in the target: chosen when they satisfy.
    std::map<std::string, standards::Version> preferred;
    // A bound on decisions plus conflicts, so a pathological graph ends.
    std::size_t max_steps = 200000;
};

struct ResolvedPackage {
    std::string name;
    standards::Version version;
    std::vector<std::string> extras;  // the extras that were required of it
};

struct Resolution {
    std::vector<ResolvedPackage> packages;  // sorted by name
    std::size_t decisions = 0;
    std::size_t conflicts = 0;
};

// Throws Error(conflict) with the explanation as its message when there is
// no solution, and Error(not_found) for a project no source knows.
Resolution solve(PackageSource& source, const ResolveOptions& options);

}  // namespace omni::resolve
