#pragma once
// A package source held in memory: for tests, benchmarks and scenarios.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "omni/resolve/package_source.hpp"

namespace omni::resolve {

struct MemoryDependency {
    std::string requirement;  // "name[extra1,extra2] specifier", e.g. "rich[jupyter]>=13"
    std::string extra;        // active only when this extra is requested ("" = always)
    std::string python;       // active only for target Pythons in this set ("" = always)
};

struct MemoryRelease {
    std::string version;
    std::vector<MemoryDependency> dependencies;
    std::string requires_python;
    bool yanked = false;
};

class MemorySource : public PackageSource {
  public:
    explicit MemorySource(std::optional<standards::Version> python = std::nullopt)
        : python_(std::move(python)) {}

    void add(const std::string& name, MemoryRelease release);
    // Shorthand: add(name, version, {"dep>=1", "other"}).
    void add(const std::string& name, const std::string& version,
             const std::vector<std::string>& dependencies = {});

    std::vector<Candidate> versions(std::string_view name) override;
    std::vector<Dependency> dependencies(std::string_view name, const standards::Version& version,
                                         std::string_view extra) override;
    void prefetch(std::span<const PackageVersion> likely) override;

    std::size_t version_queries() const { return version_queries_; }
    std::size_t dependency_queries() const { return dependency_queries_; }
    std::size_t prefetched() const { return prefetched_; }

  private:
    std::map<std::string, std::vector<MemoryRelease>> projects_;
    std::optional<standards::Version> python_;
    std::size_t version_queries_ = 0;
    std::size_t dependency_queries_ = 0;
    std::size_t prefetched_ = 0;
};

// Parses "name[extra,...] specifier" as MemoryDependency and the CLI's
// simple requirements use it; throws Error(invalid_input) naming the text.
Dependency parse_simple_requirement(std::string_view text);

}  // namespace omni::resolve
