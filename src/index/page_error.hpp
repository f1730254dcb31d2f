#pragma once
// Errors for malformed index pages: name the URL, the line and column, and
// quote the line (trimmed) with a caret, so a user can see what the index sent.
#include <cstddef>
#include <string_view>

#include "omni/util/error.hpp"

namespace omni::index_detail {

Error page_error(std::string_view url, std::string_view text, std::size_t pos,
                 std::string_view reason);
Error page_error(std::string_view url, std::string_view reason);

}  // namespace omni::index_detail
