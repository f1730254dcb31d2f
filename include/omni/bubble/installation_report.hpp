#pragma once
// pip's installation report (`pip install --report`, version "1"): one
// entry per distribution with download_info (URL and hashes), is_direct,
// is_yanked, requested, requested_extras and the METADATA as JSON (core
// metadata field names in snake case, as pip writes them), and the target
// environment's markers.
#include <string>
#include <vector>

#include "omni/bubble/provision.hpp"
#include "omni/python/interpreter.hpp"

namespace omni::bubble {

std::string installation_report(const std::vector<PlannedPackage>& plan,
                                const python::InterpreterInfo& interpreter);

}  // namespace omni::bubble
