#pragma once
// Progress of one operation that can take more than a moment (resolving,
// downloading, unpacking, building, running cells): a title and labelled
// counters. On a terminal one live line, redrawn in place with the elapsed
// time ticking and cleared when done; elsewhere only the lines that stay
// (notes); nothing at all with -q.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/live_line.hpp"

namespace omni::cli {

enum class ProgressMode { live, plain, silent };

// silent with -q, live when `stream` is a terminal, plain otherwise.
ProgressMode progress_mode(bool quiet, std::FILE* stream);

struct Counter {
    std::string value;  // "12", "3.4 MiB", "2/48"
    std::string label;  // "packages", "in flight"; empty: the value alone
};

class ProgressLine {
  public:
    ProgressLine(std::FILE* stream, ProgressMode mode, std::string title);
    ~ProgressLine();  // stops the ticker and clears the line
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    ProgressMode mode() const { return mode_; }
    // New counters and what is being worked on now (a package, a cell),
    // and a new title when `title` is not empty. Redrawn on a terminal;
    // ignored elsewhere.
    void update(std::vector<Counter> counters, std::string subject = {}, std::string title = {});
    // A line that stays: above the live line, or a plain line; not when silent.
    void note(std::string_view line);
    // Clears the line; later updates draw it again.
    void clear();

  private:
    std::string render_locked() const;
    void tick();

    std::FILE* stream_;
    ProgressMode mode_;
    std::string title_;
    std::chrono::steady_clock::time_point start_;
    std::optional<LiveLine> line_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool active_ = false;
    std::vector<Counter> counters_;
    std::string subject_;
    std::thread ticker_;
};

}  // namespace omni::cli
