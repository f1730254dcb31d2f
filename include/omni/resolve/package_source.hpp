#pragma once
// What the resolver asks of the world: the versions of a project and the
// dependencies of one version, already filtered for the target environment.
// The index client implements it for real indexes; tests use MemorySource.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "omni/standards/specifier.hpp"
#include "omni/standards/version.hpp"

namespace omni::resolve {

struct Candidate {
    standards::Version version;
    bool yanked = false;
    // The candidate's Requires-Python; absent when it declares none.
    std::optional<standards::SpecifierSet> requires_python;
};

struct Dependency {
    std::string name;  // PEP 503 normalized
    std::vector<std::string> extras;
    standards::SpecifierSet specifier;
};

struct PackageVersion {
    std::string name;
    standards::Version version;
};

class PackageSource {
  public:
    virtual ~PackageSource() = default;

    // Every version of `name`, in any order. Throws Error(not_found) for an
    // unknown project.
    virtual std::vector<Candidate> versions(std::string_view name) = 0;

    // The requirements of name==version whose markers hold for the target
    // environment when `extra` is requested ("" for the package itself).
    virtual std::vector<Dependency> dependencies(std::string_view name,
                                                 const standards::Version& version,
                                                 std::string_view extra) = 0;

    // The Requires-Python that only the distribution's own metadata declares
    // (find-links, or an index page without data-requires-python), for a
    // candidate whose Candidate::requires_python is empty. Asked only for a
    // version about to be chosen, whose metadata is needed next anyway.
    virtual std::optional<standards::SpecifierSet> metadata_requires_python(
        std::string_view name, const standards::Version& version) {
        (void)name;
        (void)version;
        return std::nullopt;
    }

    // The resolver's guess of what it will ask for next; a source may start
    // fetching these in parallel. Calling it never changes any answer.
    virtual void prefetch(std::span<const PackageVersion> likely) { (void)likely; }

    // Projects whose versions() the resolver is about to ask for, one after
    // another; a source may start fetching them all at once.
    virtual void prefetch_projects(std::span<const std::string> names) { (void)names; }
};

}  // namespace omni::resolve
