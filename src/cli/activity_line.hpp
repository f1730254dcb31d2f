#pragma once
// What omni is doing between the command's own lines, on stderr: index
// requests (packages read, requests in flight, bytes and their rate) and
// provisioning steps (wheels unpacked of how many, an sdist being built,
// bubbles being built). On a terminal one progress line, shown only while something is
// under way and taken away as soon as nothing is, so the command's own
// output always starts on a clean line. Elsewhere the index's plain lines
// (at most one a second, a summary at the end); nothing with -q.
// Thread-safe.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "cli/progress_line.hpp"
#include "omni/bubble/provision.hpp"
#include "omni/index/progress.hpp"

namespace omni::cli {

class ActivityLine {
  public:
    ActivityLine(bool quiet, bool terminal);

    void index(const IndexProgress& progress);
    void step(const bubble::ProvisionStep& step);
    // For a command that prints its own progress (the matrix): from now on
    // nothing is drawn and no plain line is printed; the summary stays.
    void suspend();

  private:
    void redraw_locked();

    const bool quiet_;
    const bool terminal_;
    std::mutex mutex_;
    bool suspended_ = false;
    std::unique_ptr<ProgressLine> line_;  // on a terminal, made on first use
    IndexProgress index_;
    std::optional<std::chrono::steady_clock::time_point> busy_since_;  // requests under way since
    std::uint64_t busy_bytes_ = 0;                                     // bytes received before that
    std::chrono::steady_clock::time_point last_plain_{};
    std::size_t unpacked_ = 0, to_unpack_ = 0;
    std::multiset<std::string> building_, bubbles_;
    std::string subject_;
};

}  // namespace omni::cli
