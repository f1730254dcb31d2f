#pragma once
// How `omni matrix` shows progress. On a terminal: a status line (cells
// done, failed, running, elapsed) rewritten in place, redrawn by a ticker so
// the clock moves while cells run, with each finished cell printed above
// it. Elsewhere (CI logs, pipes): one plain line per finished cell.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

#include "omni/matrix/runner.hpp"

namespace omni::cli {

class MatrixProgress {
  public:
    MatrixProgress(std::size_t total, bool terminal);
    ~MatrixProgress();  // stops the ticker and clears the status line
    MatrixProgress(const MatrixProgress&) = delete;
    MatrixProgress& operator=(const MatrixProgress&) = delete;

    matrix::RunnerEvents events();

  private:
    void started(const matrix::Progress& progress);
    void finished(const matrix::CellResult& result, const matrix::Progress& progress);
    void draw_status_locked();
    void tick();

    bool terminal_;
    std::chrono::steady_clock::time_point start_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    matrix::Progress progress_;
    std::thread ticker_;
};

}  // namespace omni::cli
