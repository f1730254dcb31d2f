#pragma once
// Wheels built from source for a provisioning context: sdists from the
// indexes (built once per sdist hash and interpreter tag, cached), and local
// project directories (`omni install ./path`, `-e ./path`), whose build
// environments are provisioned with omni's own resolver and installer.
#include <filesystem>
#include <string>

#include "omni/bubble/provision.hpp"
#include "omni/index/project_page.hpp"

namespace omni::bubble {

// The wheel built from `sdist` for the context's interpreter, from the cache
// when it was built before.
std::filesystem::path built_wheel(const ProvisionContext& context, const DistFile& sdist,
                                  const BuildOptions& build);

// The METADATA of an sdist's version: its PKG-INFO when PEP 643 lets it stand
// for the wheel's, else the built wheel's own.
std::string sdist_metadata(const ProvisionContext& context, const DistFile& sdist,
                           const BuildOptions& build);

struct LocalInstall {
    PlannedPackage package;
    std::vector<PlannedPackage> dependencies;  // installed for it (not what was there)
    std::filesystem::path wheel;
};

// Builds the project in `dir` (a fresh build every time, as pip does for
// local trees) or its editable wheel (PEP 660), installs its dependencies
// into the env, then the project itself with a direct_url.json that points
// at `dir`. A local .tar.gz/.zip sdist is built through the cache instead.
// The project's Requires-Python is checked against the interpreter, and
// `extras` (`./dir[dev]`, `-e .[dev]`) bring their dependencies too.
LocalInstall install_local_project(const ProvisionContext& context,
                                   const std::filesystem::path& dir, bool editable,
                                   const PlanOptions& options,
                                   const std::vector<std::string>& extras = {});

}  // namespace omni::bubble
