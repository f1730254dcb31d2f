#pragma once
// A PubGrub term: "package P is selected at a version in S" (positive) or
// "P is not selected at any version in S" (negative, which also holds when P
// is not selected at all).
#include <cstddef>

#include "resolve/version_set.hpp"

namespace omni::resolve {

using PackageId = std::size_t;

struct Term {
    PackageId package = 0;
    VersionSet set;
    bool positive = true;

    Term negate() const { return {package, set, !positive}; }

    Term intersect(const Term& o) const {
        if (positive && o.positive)
            return {package, set.intersect(o.set), true};
        if (positive)
            return {package, set.minus(o.set), true};
        if (o.positive)
            return {package, o.set.minus(set), true};
        return {package, set.unite(o.set), false};
    }
    Term unite(const Term& o) const { return negate().intersect(o.negate()).negate(); }
    Term difference(const Term& o) const { return intersect(o.negate()); }

    // No version and no absence satisfies it.
    bool is_empty() const { return positive && set.empty(); }
    // Every version and absence satisfy it.
    bool is_any() const { return !positive && set.empty(); }

    // Whether every state allowed by this term is allowed by `o`.
    bool satisfies(const Term& o) const {
        if (o.positive)
            return positive && set.subset_of(o.set);
        return positive ? set.disjoint(o.set) : o.set.subset_of(set);
    }
    // Whether no state is allowed by both.
    bool contradicts(const Term& o) const {
        if (positive && o.positive)
            return set.disjoint(o.set);
        if (positive)
            return set.subset_of(o.set);
        if (o.positive)
            return o.set.subset_of(set);
        return false;
    }
};

}  // namespace omni::resolve
