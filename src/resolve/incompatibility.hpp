#pragma once
// A set of terms that must not all hold at once, and why we know it.
#include <cstddef>
#include <string>
#include <vector>

#include "resolve/term.hpp"

namespace omni::resolve {

enum class Cause {
    root,         // the root package is selected
    dependency,   // terms[0] depends on the negation of terms[1]
    no_versions,  // no usable version of terms[0] in its set
    no_match,     // the depender needs a version the package does not have
    unknown,      // the depender needs a package no source knows
    constraint,   // versions outside a -c constraint are forbidden
    derived,      // from cause1 and cause2 by conflict resolution
};

struct Incompatibility {
    std::vector<Term> terms;
    Cause cause = Cause::derived;
    std::size_t cause1 = 0;
    std::size_t cause2 = 0;
    // dependency / no_match / unknown: the requirement as the user or the
    // metadata wrote it; no_versions: why candidates were unusable.
    std::string detail;
    std::string note;  // no_match: the nearest versions there are

    // Merges terms of one package and drops terms that any state satisfies.
    void normalize();
};

}  // namespace omni::resolve
