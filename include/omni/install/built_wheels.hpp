#pragma once
// Wheels built from sdists, cached so each is built once:
//   cache/built/<sdist sha256>/<interpreter tag>/<wheel>
// Look, lock locks/build-..., look again, build in staging, publish by rename;
// two processes asking for the same build at once get one build.
#include <filesystem>
#include <functional>
#include <string>

#include "omni/home/home.hpp"

namespace omni::install {

struct BuiltWheel {
    std::filesystem::path wheel;
    bool built = false;  // false: it was in the cache
};

// `build` writes the wheel into the directory it is given and returns its path.
BuiltWheel cached_build(
    const Home& home, const std::string& sdist_sha256, const std::string& interpreter_tag,
    const std::function<std::filesystem::path(const std::filesystem::path&)>& build);

}  // namespace omni::install
