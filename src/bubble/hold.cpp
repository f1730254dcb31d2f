#include "omni/bubble/hold.hpp"

#include <fmt/format.h>

#include "omni/bubble/store.hpp"
#include "omni/util/log.hpp"

namespace omni::bubble {

std::vector<FileLock> hold_bubbles(const ProvisionContext& context,
                                   std::vector<BubbleInfo>& bubbles) {
    const BubbleStore store(context.home);
    std::vector<FileLock> holds;
    holds.reserve(bubbles.size());
    for (auto& info : bubbles) {
        holds.push_back(store.hold(info));
        if (store.find(info.env_key, info.name, info.version, info.variant))
            continue;
        logger().info("bubble {}=={} was removed before it was held; building it again", info.name,
                      info.version);
        PlanOptions options;
        options.lowest = info.variant == "lowest";
        info = ensure_bubble(context, fmt::format("{}=={}", info.name, info.version), options).info;
    }
    return holds;
}

}  // namespace omni::bubble
