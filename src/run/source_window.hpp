#pragma once
// The lines of the script around the point of failure.
#include <string>
#include <vector>

#include "omni/run/analysis.hpp"

namespace omni::run {

// The failing line and up to `before` lines above it, read from the script's
// source when the innermost frame of the script is known, else the source
// line the traceback shows. Innermost last.
std::vector<std::string> failure_window(const FailureContext& context, int before = 3);

// The innermost frame that belongs to the script itself, or nullptr.
const Frame* script_frame(const FailureContext& context);

// The innermost frame, or nullptr.
const Frame* innermost(const FailureContext& context);

// "a.b.c" -> "a".
std::string top_level(std::string_view module);

}  // namespace omni::run
