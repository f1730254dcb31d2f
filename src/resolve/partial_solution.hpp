#pragma once
// The assignments made so far: decisions (a package pinned to a version)
// and derivations (terms implied by incompatibilities), with decision levels
// for backtracking.
#include <cstddef>
#include <optional>
#include <vector>

#include "resolve/incompatibility.hpp"

namespace omni::resolve {

struct Assignment {
    Term term;
    std::size_t level = 0;
    std::optional<std::size_t> cause;  // none for a decision
};

enum class Relation { satisfied, almost_satisfied, contradicted, inconclusive };

class PartialSolution {
  public:
    void resize(std::size_t packages);

    void decide(PackageId package, std::size_t candidate, std::size_t domain_size);
    void derive(const Term& term, std::size_t cause);
    // Removes every assignment above `level`.
    void backtrack(std::size_t level);

    std::size_t level() const { return level_; }
    const std::vector<Assignment>& assignments() const { return assignments_; }
    const std::optional<Term>& accumulated(PackageId p) const { return accumulated_[p]; }
    const std::optional<std::size_t>& decision(PackageId p) const { return decisions_[p]; }

    // With almost_satisfied, `unsatisfied` is the index of the open term.
    Relation relation(const Incompatibility& incompat, std::size_t& unsatisfied) const;
    // Index of the earliest assignment after which `term` is satisfied.
    std::size_t satisfier(const Term& term) const;

  private:
    void add(Assignment assignment);

    std::vector<Assignment> assignments_;
    std::vector<std::optional<Term>> accumulated_;
    std::vector<std::optional<std::size_t>> decisions_;
    std::size_t level_ = 0;
};

}  // namespace omni::resolve
