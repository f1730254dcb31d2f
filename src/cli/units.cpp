#include "cli/units.hpp"

#include <array>

#include <fmt/format.h>

namespace omni::cli {

std::string format_bytes(std::uint64_t bytes) {
    static constexpr std::array<const char*, 5> units{"B", "KiB", "MiB", "GiB", "TiB"};
    auto value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < units.size()) {
        value /= 1024.0;
        ++unit;
    }
    if (unit == 0)
        return fmt::format("{} B", bytes);
    if (value < 10)
        return fmt::format("{:.1f} {}", value, units[unit]);
    return fmt::format("{:.0f} {}", value, units[unit]);
}

std::string format_rate(double bytes_per_second) {
    if (bytes_per_second < 0)
        bytes_per_second = 0;
    return format_bytes(static_cast<std::uint64_t>(bytes_per_second)) + "/s";
}

std::string format_duration(std::chrono::milliseconds d) {
    const double seconds = std::chrono::duration<double>(d).count();
    if (seconds < 10)
        return fmt::format("{:.1f}s", seconds);
    if (seconds < 100)
        return fmt::format("{:.0f}s", seconds);
    const auto whole = static_cast<long long>(seconds);
    return fmt::format("{}m{:02}s", whole / 60, whole % 60);
}

}  // namespace omni::cli
