#pragma once
// `omni versions NAME`: every version the configured sources offer as a
// wheel, and whether the interpreter can install it. Read through the page
// cache under the cache's shared lock, as every other page fetch is, so a
// `cache clean` beside it waits instead of pulling the cache from under it.
#include <string_view>
#include <vector>

#include "omni/home/home.hpp"
#include "omni/index/index_client.hpp"
#include "omni/python/interpreter.hpp"
#include "omni/standards/version.hpp"

namespace omni::resolve {

struct OfferedVersion {
    standards::Version version;
    bool yanked = false;
    bool compatible = false;  // a wheel for the interpreter whose Requires-Python admits it
};

// Newest first. Error(not_found) when no source has the project.
std::vector<OfferedVersion> offered_versions(const Home& home, const IndexClient& index,
                                             const python::InterpreterInfo& interpreter,
                                             std::string_view project);

}  // namespace omni::resolve
