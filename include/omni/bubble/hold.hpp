#pragma once
// The bubbles a running child uses, held for as long as it runs: a shared
// BubbleStore::hold on each, so `bubble remove` refuses them and `bubble
// prune` keeps them.
#include <vector>

#include "omni/bubble/bubble.hpp"
#include "omni/bubble/provision.hpp"
#include "omni/util/file_lock.hpp"

namespace omni::bubble {

// A hold on each of `bubbles` for as long as the returned locks live. A
// bubble removed between its ensure and its hold is ensured again (its entry
// in `bubbles` is replaced); once held it cannot go.
std::vector<FileLock> hold_bubbles(const ProvisionContext& context,
                                   std::vector<BubbleInfo>& bubbles);

}  // namespace omni::bubble
