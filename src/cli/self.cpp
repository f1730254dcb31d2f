#include "cli/self.hpp"

#include "omni/python/shims.hpp"
#include "omni/util/error.hpp"
#include "omni/util/log.hpp"

namespace omni::cli {

std::filesystem::path self_binary() {
    std::error_code ec;
    auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path{} : path;
}

void refresh_shims(const Home& home) {
    try {
        const auto outcome = python::rehash(home, self_binary());
        if (!outcome.added.empty())
            logger().info("new shims: {}", fmt::join(outcome.added, ", "));
        if (!outcome.removed.empty())
            logger().info("shims removed: {}", fmt::join(outcome.removed, ", "));
    } catch (const Error& e) {
        logger().warn("the shims in {} were not updated: {}", home.bin_dir().string(), e.what());
    }
}

}  // namespace omni::cli
