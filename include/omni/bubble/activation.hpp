#pragma once
// Activating bubbles for a child process: their directories ahead of the
// main env on sys.path (PYTHONPATH) and their scripts ahead on PATH. Pure
// string work: no Python is started to compute it.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "omni/bubble/bubble.hpp"

namespace omni::bubble {

// The variables to set for a child: PYTHONPATH and PATH with the bubbles in
// front (earlier bubbles first) of the current values (may be null).
std::map<std::string, std::optional<std::string>> activation_environment(
    const std::vector<BubbleInfo>& bubbles, const char* current_pythonpath,
    const char* current_path);

}  // namespace omni::bubble
