#include "omni/index/transport.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace omni {

void TransportOptions::set_timeout(std::chrono::seconds t) {
    if (t.count() <= 0)
        return;
    connect_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(t);
    low_speed_time = t;
    total_timeout = t * 10;
}

std::string TransportOptions::describe_bounds() const {
    return fmt::format(
        "omni waits {} s to connect, aborts under {} bytes/s for {} s and after {} s in all; "
        "index.timeout or OMNI_HTTP_TIMEOUT sets these",
        std::chrono::duration_cast<std::chrono::seconds>(connect_timeout).count(), low_speed_bytes,
        low_speed_time.count(), total_timeout.count());
}

}  // namespace omni
