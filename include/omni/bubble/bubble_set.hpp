#pragma once
// Several bubbles that are active together (`omni exec --with A --with B`):
// the requirements are resolved together first, so that a conflict between
// them is one clear error instead of one bubble shadowing another, and each
// bubble is then pinned to the version the joint resolution chose, its
// closure constrained to the joint versions.
#include <string>
#include <vector>

#include "omni/bubble/provision.hpp"

namespace omni::bubble {

// Throws Error(conflict) naming the requirements when they cannot hold
// together. Returns one bubble per requirement, in order.
std::vector<EnsureResult> ensure_bubbles_together(const ProvisionContext& context,
                                                  const std::vector<std::string>& requirements,
                                                  const PlanOptions& options = {});

}  // namespace omni::bubble
