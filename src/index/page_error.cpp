#include "index/page_error.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace omni::index_detail {

Error page_error(std::string_view url, std::string_view text, std::size_t pos,
                 std::string_view reason) {
    pos = std::min(pos, text.size());
    const auto line_start = text.rfind('\n', pos == 0 ? 0 : pos - 1);
    const std::size_t begin =
        (line_start == std::string_view::npos || pos == 0) ? 0 : line_start + 1;
    const auto line_end = std::min(text.find('\n', pos), text.size());
    const auto line_no = 1 + static_cast<std::size_t>(std::count(
                                 text.begin(), text.begin() + static_cast<long>(begin), '\n'));
    const std::size_t column = pos - begin;
    // Show at most 60 characters around the position.
    const std::size_t from = column > 40 ? pos - 40 : begin;
    const std::size_t to = std::min(line_end, from + 60);
    return Error(
        ErrorCode::invalid_input,
        fmt::format("malformed index page {}: {} (line {}, column {})\n  {}\n  {:>{}}", url, reason,
                    line_no, column + 1, text.substr(from, to - from), "^", pos - from + 1),
        "check that the URL points at a PEP 503/691 simple index");
}

Error page_error(std::string_view url, std::string_view reason) {
    return Error(ErrorCode::invalid_input, fmt::format("malformed index page {}: {}", url, reason),
                 "check that the URL points at a PEP 503/691 simple index");
}

}  // namespace omni::index_detail
