#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace omni::probe {
// Appends the answer to one question (without newline) to `out`.
void answer(const std::vector<std::string_view>& fields, std::string& out);
}  // namespace omni::probe
