#pragma once
// The running omni binary, for the links and loaders that start it again.
#include <filesystem>

#include "omni/home/home.hpp"

namespace omni::cli {

// /proc/self/exe resolved; empty when the kernel does not say.
std::filesystem::path self_binary();
// After an install, uninstall, swap or venv: the shims follow the envs. A
// failure is logged, never fatal: the command itself succeeded.
void refresh_shims(const Home& home);

}  // namespace omni::cli
