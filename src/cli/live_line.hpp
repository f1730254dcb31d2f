#pragma once
// One line at the bottom of a terminal, redrawn in place: never wider than
// the terminal (so it never wraps and leaves a stale copy above), lines that
// stay printed above it, and cleared when done. Thread-safe.
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace omni::cli {

class LiveLine {
  public:
    explicit LiveLine(std::FILE* stream);
    ~LiveLine();  // clears the line
    LiveLine(const LiveLine&) = delete;
    LiveLine& operator=(const LiveLine&) = delete;

    // Replaces the line with `text`, cut to the terminal's width.
    void draw(std::string_view text);
    // Prints `line` (cut to the width, and a newline) where the live line
    // is, then redraws the live line below it.
    void print_above(std::string_view line);
    // Erases the line; the next draw starts it again.
    void clear();

  private:
    void write_locked(std::string_view text);

    std::FILE* stream_;
    int fd_;
    std::mutex mutex_;
    std::string text_;
    bool shown_ = false;
};

}  // namespace omni::cli
