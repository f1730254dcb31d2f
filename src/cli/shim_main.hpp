#pragma once
// omni started under a shim's name (python, pip, black...): runs that
// command for the chosen interpreter. nullopt when started as omni.
#include <optional>

namespace omni::cli {

std::optional<int> run_as_shim(int argc, char** argv);

}  // namespace omni::cli
