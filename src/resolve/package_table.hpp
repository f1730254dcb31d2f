#pragma once
// The packages the solver has met: real projects, their extras as virtual
// packages ("rich[jupyter]"), and the root. Candidates load on first use.
#include <cstddef>
#include <string>
#include <vector>

#include "omni/resolve/package_source.hpp"
#include "resolve/term.hpp"

namespace omni::resolve {

struct PackageInfo {
    std::string name;   // normalized project name; "" for the root
    std::string extra;  // "" unless this is the virtual package name[extra]
    PackageId base = 0;
    bool loaded = false;
    bool unknown = false;                       // no source knows the project
    std::string unknown_message, unknown_hint;  // what the source said
    std::vector<Candidate> candidates;          // ascending by version
    // Some requirement on it names a pre-release (packaging 26's rule: then
    // its pre-releases compete with its final releases).
    bool prereleases_named = false;
    // Some requirement pins it with == or === (PEP 592: only then may a
    // yanked release be used).
    bool pinned_exactly = false;

    bool is_root() const { return name.empty(); }
    std::string display() const { return extra.empty() ? name : name + "[" + extra + "]"; }
};

// "foo", "foo ==1.0", "foo >=1.0,<=1.4", "foo ==1.0 | >=1.2": the set as
// ranges over the package's candidates.
std::string describe(const PackageInfo& package, const VersionSet& set);

}  // namespace omni::resolve
