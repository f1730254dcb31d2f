#pragma once
// The resolver's view of real package indexes for one target interpreter:
// versions are those with a wheel the interpreter can install (best tag
// first), and dependencies come from the wheel's METADATA (PEP 658 file or
// range reads), with markers evaluated for the interpreter.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "omni/index/index_client.hpp"
#include "omni/python/interpreter.hpp"
#include "omni/resolve/package_source.hpp"
#include "omni/standards/marker.hpp"
#include "omni/standards/metadata.hpp"
#include "omni/standards/tags.hpp"

namespace omni::resolve {

standards::InterpreterFacts interpreter_facts(const python::InterpreterInfo& info);
standards::MarkerEnvironment marker_environment(const python::InterpreterInfo& info);

class IndexSource : public PackageSource {
  public:
    IndexSource(const IndexClient& client, const python::InterpreterInfo& interpreter);

    std::vector<Candidate> versions(std::string_view name) override;
    std::vector<Dependency> dependencies(std::string_view name, const standards::Version& version,
                                         std::string_view extra) override;
    void prefetch(std::span<const PackageVersion> likely) override;
    std::optional<standards::SpecifierSet> metadata_requires_python(
        std::string_view name, const standards::Version& version) override;

    // The wheel chosen for name==version (after versions(name) was asked).
    const DistFile& wheel(std::string_view name, const standards::Version& version) const;

  private:
    struct Project {
        std::map<standards::Version, DistFile> wheels;  // best wheel per version
    };
    const standards::CoreMetadata& metadata(const std::string& name,
                                            const standards::Version& version);
    Project& project(std::string_view name);

    const IndexClient& client_;
    standards::TagRanker ranker_;
    standards::MarkerEnvironment markers_;
    mutable std::mutex mutex_;
    std::map<std::string, Project> projects_;
    std::map<std::string, std::shared_ptr<standards::CoreMetadata>> metadata_;  // by wheel URL
};

}  // namespace omni::resolve
