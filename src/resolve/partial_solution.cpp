#include "resolve/partial_solution.hpp"

#include <algorithm>

#include "omni/util/error.hpp"

namespace omni::resolve {

void PartialSolution::resize(std::size_t packages) {
    if (accumulated_.size() < packages) {
        accumulated_.resize(packages);
        decisions_.resize(packages);
    }
}

void PartialSolution::add(Assignment assignment) {
    auto& acc = accumulated_[assignment.term.package];
    acc = acc ? acc->intersect(assignment.term) : assignment.term;
    assignments_.push_back(std::move(assignment));
}

void PartialSolution::decide(PackageId package, std::size_t candidate, std::size_t domain_size) {
    // The root decision is level 0; every later decision opens a new level.
    if (!assignments_.empty())
        ++level_;
    auto set = VersionSet::none(domain_size);
    set.insert(candidate);
    decisions_[package] = candidate;
    add({Term{package, std::move(set), true}, level_, std::nullopt});
}

void PartialSolution::derive(const Term& term, std::size_t cause) {
    add({term, level_, cause});
}

void PartialSolution::backtrack(std::size_t level) {
    std::vector<PackageId> touched;
    while (!assignments_.empty() && assignments_.back().level > level) {
        touched.push_back(assignments_.back().term.package);
        assignments_.pop_back();
    }
    for (auto p : touched) {
        accumulated_[p].reset();
        decisions_[p].reset();
    }
    for (const auto& a : assignments_) {
        const auto p = a.term.package;
        if (std::find(touched.begin(), touched.end(), p) == touched.end())
            continue;
        accumulated_[p] = accumulated_[p] ? accumulated_[p]->intersect(a.term) : a.term;
        if (!a.cause)
            decisions_[p] = a.term.set.highest();
    }
    level_ = level;
}

Relation PartialSolution::relation(const Incompatibility& incompat,
                                   std::size_t& unsatisfied) const {
    Relation result = Relation::satisfied;
    for (std::size_t i = 0; i < incompat.terms.size(); ++i) {
        const auto& term = incompat.terms[i];
        const auto& acc = accumulated_[term.package];
        if (acc && acc->satisfies(term))
            continue;
        if (acc && acc->contradicts(term))
            return Relation::contradicted;
        if (result == Relation::satisfied) {
            result = Relation::almost_satisfied;
            unsatisfied = i;
        } else {
            result = Relation::inconclusive;
        }
    }
    return result;
}

std::size_t PartialSolution::satisfier(const Term& term) const {
    std::optional<Term> acc;
    for (std::size_t i = 0; i < assignments_.size(); ++i) {
        const auto& a = assignments_[i];
        if (a.term.package != term.package)
            continue;
        acc = acc ? acc->intersect(a.term) : a.term;
        if (acc->satisfies(term))
            return i;
    }
    throw Error(ErrorCode::internal, "resolver: no satisfier for a satisfied term");
}

}  // namespace omni::resolve
