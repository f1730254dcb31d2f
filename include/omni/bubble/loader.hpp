#pragma once
// The omni_loader module (src/bubble/omni_loader.py), written into an env's
// site-packages so that scripts can `import omni_loader`.
#include <filesystem>

#include "omni/home/home.hpp"

namespace omni::bubble {

// Writes omni_loader.py into every lib/python*/site-packages of `env_root`
// unless it is there already with the same content. It names this omni
// binary and `home`, to build missing bubbles. Returns true when it wrote.
bool ensure_loader(const std::filesystem::path& env_root, const Home& home);

}  // namespace omni::bubble
