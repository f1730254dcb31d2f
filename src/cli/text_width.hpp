#pragma once
// How many terminal columns text takes, and cutting it to fit: escape
// sequences take none, a UTF-8 character one (East Asian wide ones and most
// emoji two, combining marks none).
#include <cstddef>
#include <string>
#include <string_view>

namespace omni::cli {

std::size_t display_width(std::string_view text);

// `text` cut to at most `width` columns, ending in "…" when cut. Escape
// sequences are kept; a cut coloured text is closed with a reset.
std::string fit_width(std::string_view text, std::size_t width);

// `text` broken at spaces into lines of at most `width` columns (0: no
// limit), each ending in a newline. A word wider than that (a path) stands
// on a line of its own, whole.
std::string wrap_words(std::string_view text, std::size_t width);

// `text` padded with spaces on the right (or left) to `width` columns.
std::string pad_right(std::string_view text, std::size_t width);
std::string pad_left(std::string_view text, std::size_t width);

}  // namespace omni::cli
