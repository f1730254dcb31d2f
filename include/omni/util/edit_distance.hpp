#pragma once
// Levenshtein distance, for "did you mean" suggestions.
#include <cstddef>
#include <string_view>

namespace omni {

std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace omni
