#pragma once
#include <string>
#include <string_view>

namespace omni::probe {
// Times one operation over the inputs in `path` (one per line) and appends
// the rate in operations per second.
void bench(std::string_view what, std::string_view path, std::string& out);
}  // namespace omni::probe
