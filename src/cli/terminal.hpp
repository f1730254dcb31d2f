#pragma once
// What the CLI needs to know about the terminal it writes to: whether a
// stream is one, and how many columns it has.
#include <cstddef>

namespace omni::cli {

bool is_terminal(int fd);

// The width to fit lines to: $COLUMNS when it holds a positive number (as
// shells and `COLUMNS=60 omni ...` set it), else the terminal's own
// (TIOCGWINSZ on `fd`), else 80. Asked again at every redraw, so a resized
// window is followed.
std::size_t terminal_width(int fd);

}  // namespace omni::cli
