#pragma once
#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "omni/resolve/resolver.hpp"
#include "resolve/incompatibility.hpp"
#include "resolve/package_table.hpp"
#include "resolve/partial_solution.hpp"

namespace omni::resolve {

class Solver {
  public:
    Solver(PackageSource& source, const ResolveOptions& options);
    Resolution run();

  private:
    static constexpr PackageId root = 0;

    PackageId intern(const std::string& name, const std::string& extra);
    PackageInfo& load(PackageId id);
    VersionSet matching(PackageId id, const standards::SpecifierSet& spec);
    // Records what a requirement on `id` says about pre-releases and pins.
    void note_requirement(PackageId id, const standards::SpecifierSet& spec);
    bool usable(const PackageInfo& p, std::size_t candidate, const VersionSet& allowed,
                std::string* why) const;

    std::size_t add(Incompatibility incompat);
    void add_dependencies(PackageId depender, std::size_t candidate,
                          const std::vector<Dependency>& deps, std::vector<std::size_t>& added);
    void propagate(PackageId changed);
    std::size_t resolve_conflict(std::size_t incompat);
    // Picks the next package and version; false when every package is decided.
    bool decide_next(PackageId& changed);

    PackageSource& source_;
    const ResolveOptions& options_;
    std::deque<PackageInfo> packages_;  // a deque: references stay valid as it grows
    std::map<std::pair<std::string, std::string>, PackageId> ids_;
    std::map<std::string, standards::SpecifierSet> constraints_;
    std::vector<Incompatibility> store_;
    std::vector<std::vector<std::size_t>> by_package_;
    PartialSolution solution_;
    std::size_t steps_ = 0;
    Resolution result_;
};

// The numbered explanation of why `failure` (the final incompatibility)
// has no solution.
std::string explain(const std::deque<PackageInfo>& packages,
                    const std::vector<Incompatibility>& store, std::size_t failure);

}  // namespace omni::resolve
