#include "cli/live_line.hpp"

#include <fmt/format.h>

#include "cli/terminal.hpp"
#include "cli/text_width.hpp"

namespace omni::cli {

LiveLine::LiveLine(std::FILE* stream) : stream_(stream), fd_(::fileno(stream)) {}

LiveLine::~LiveLine() {
    clear();
}

void LiveLine::write_locked(std::string_view text) {
    // One column is left free: a line that fills the last column puts some
    // terminals in a pending wrap, and the next "\r" would land a row down.
    const auto width = terminal_width(fd_);
    const auto fitted = fit_width(text, width > 1 ? width - 1 : 1);
    // Text first, then erase what is left of a longer previous line: the
    // line never blinks empty between two draws.
    fmt::print(stream_, "\r{}\x1b[K", fitted);
    std::fflush(stream_);
    shown_ = true;
}

void LiveLine::draw(std::string_view text) {
    std::lock_guard lock(mutex_);
    text_ = text;
    write_locked(text_);
}

void LiveLine::print_above(std::string_view line) {
    std::lock_guard lock(mutex_);
    const auto width = terminal_width(fd_);
    fmt::print(stream_, "{}{}\n", shown_ ? "\r\x1b[K" : "", fit_width(line, width));
    shown_ = false;
    if (!text_.empty())
        write_locked(text_);
    else
        std::fflush(stream_);
}

void LiveLine::clear() {
    std::lock_guard lock(mutex_);
    if (shown_) {
        fmt::print(stream_, "\r\x1b[K");
        std::fflush(stream_);
    }
    shown_ = false;
    text_.clear();
}

}  // namespace omni::cli
