#pragma once
// The resolver's view of real package indexes for one target interpreter:
// versions are those with a wheel the interpreter can install (best tag
// first), and dependencies come from the wheel's METADATA (PEP 658 file or
// range reads), with markers evaluated for the interpreter.
#include <atomic>
#include <functional>
#include <future>
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
#include "omni/util/thread_pool.hpp"

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

// Fetches run ahead of the resolver: when a project's page arrives, the
// METADATA of its newest version is fetched; when METADATA arrives, the pages
// of its dependencies are. Every fetch is single-flight, so the resolver
// waits only for what is already under way, and all of it shares the index
// client's connections.
class IndexSource : public PackageSource {
  public:
    // Without `sdist_metadata`, only versions with a compatible wheel are
    // offered. With it, a version with no usable wheel but an sdist is
    // offered too (as the policy allows), and its file is the sdist.
    IndexSource(const IndexClient& client, const python::InterpreterInfo& interpreter,
                BinaryPolicy policy = {}, SdistMetadata sdist_metadata = {});
    ~IndexSource() override;
    IndexSource(const IndexSource&) = delete;
    IndexSource& operator=(const IndexSource&) = delete;

    std::vector<Candidate> versions(std::string_view name) override;
    std::vector<Dependency> dependencies(std::string_view name, const standards::Version& version,
                                         std::string_view extra) override;
    void prefetch(std::span<const PackageVersion> likely) override;
    void prefetch_projects(std::span<const std::string> names) override;
    std::optional<standards::SpecifierSet> metadata_requires_python(
        std::string_view name, const standards::Version& version) override;

    // The file chosen for name==version (after versions(name) was asked): the
    // best wheel, or the sdist when no wheel is usable.
    const DistFile& file(std::string_view name, const standards::Version& version) const;
    // The metadata the resolution read for name==version (null when it never
    // asked), for the install to hold the wheel's own METADATA against.
    std::shared_ptr<const standards::CoreMetadata> used_metadata(
        std::string_view name, const standards::Version& version) const;

    // The METADATA of the file chosen for name==version, fetched once.
    const standards::CoreMetadata& metadata(const std::string& name,
                                            const standards::Version& version);

  private:
    struct Project {
        std::map<standards::Version, DistFile> files;  // best wheel, else the sdist, per version
    };
    using Metadata = std::shared_ptr<const standards::CoreMetadata>;
    const Project& project(std::string_view name);
    Project load_project(std::string_view name);
    Metadata load_metadata(const DistFile& chosen);
    // Speculative fetches on the pool; failures are left for the resolver
    // to meet (and report) if it ever asks.
    void warm_page(const std::string& name);
    void warm_metadata(const std::string& name, const standards::Version& version);
    void after_page(const std::string& name, const Project& project);
    void after_metadata(const standards::CoreMetadata& metadata);

    const IndexClient& client_;
    standards::TagRanker ranker_;
    standards::MarkerEnvironment markers_;
    BinaryPolicy policy_;
    SdistMetadata sdist_metadata_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_future<std::shared_ptr<const Project>>> projects_;
    std::map<std::string, std::shared_future<Metadata>> metadata_;  // by wheel URL
    std::size_t speculative_ = 0;     // bounded, so a huge graph cannot run away
    ThreadPool* guess_pool_locked();  // under mutex_; null when no guesses are made

    std::atomic<bool> closing_{false};
    bool speculate_;                    // a source is on the network
    std::unique_ptr<ThreadPool> pool_;  // made on the first guess
};

}  // namespace omni::resolve
