#pragma once
// Sizes, rates and durations the way progress lines and reports print them.
#include <chrono>
#include <cstdint>
#include <string>

namespace omni::cli {

std::string format_bytes(std::uint64_t bytes);             // "812 B", "3.4 MiB"
std::string format_rate(double bytes_per_second);          // "1.2 MiB/s"
std::string format_duration(std::chrono::milliseconds d);  // "0.4s", "12s", "2m05s"

}  // namespace omni::cli
