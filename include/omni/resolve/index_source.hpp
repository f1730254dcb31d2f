#pragma once
// The resolver's view of real package indexes for one target interpreter:
// versions are those with a wheel the interpreter can install (best tag
// first), and dependencies come from the wheel's METADATA (PEP 658 file or
// range reads), with markers evaluated for the interpreter.
#include <functional>
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

// pip's --no-binary / --only-binary: normalized project names, or ":all:".
struct BinaryPolicy {
    std::vector<std::string> no_binary;
    std::vector<std::string> only_binary;

    bool wheels_allowed(std::string_view name) const;
    bool sdists_allowed(std::string_view name) const;
};

// The METADATA of a version only an sdist offers (its PKG-INFO, or the
// built wheel's), supplied by the layer that can build.
using SdistMetadata = std::function<std::string(const DistFile& sdist)>;

class IndexSource : public PackageSource {
  public:
    // Without `sdist_metadata`, only versions with a compatible wheel are
    // offered. With it, a version with no usable wheel but an sdist is
    // offered too (as the policy allows), and its file is the sdist.
    IndexSource(const IndexClient& client, const python::InterpreterInfo& interpreter,
                BinaryPolicy policy = {}, SdistMetadata sdist_metadata = {});

    std::vector<Candidate> versions(std::string_view name) override;
    std::vector<Dependency> dependencies(std::string_view name, const standards::Version& version,
                                         std::string_view extra) override;
    void prefetch(std::span<const PackageVersion> likely) override;
    std::optional<standards::SpecifierSet> metadata_requires_python(
        std::string_view name, const standards::Version& version) override;

    // The file chosen for name==version (after versions(name) was asked): the
    // best wheel, or the sdist when no wheel is usable.
    const DistFile& file(std::string_view name, const standards::Version& version) const;

    // The METADATA of the file chosen for name==version, fetched once.
    const standards::CoreMetadata& metadata(const std::string& name,
                                            const standards::Version& version);

  private:
    struct Project {
        std::map<standards::Version, DistFile> files;  // best wheel, else the sdist, per version
    };
    Project& project(std::string_view name);

    const IndexClient& client_;
    standards::TagRanker ranker_;
    standards::MarkerEnvironment markers_;
    BinaryPolicy policy_;
    SdistMetadata sdist_metadata_;
    mutable std::mutex mutex_;
    std::map<std::string, Project> projects_;
    std::map<std::string, std::shared_ptr<standards::CoreMetadata>> metadata_;  // by wheel URL
};

}  // namespace omni::resolve
