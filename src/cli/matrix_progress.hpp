#pragma once
// How `omni matrix` shows progress. On a terminal: a live line (cells done,
// failed, running, elapsed, the cell that started last), with each failed
// cell printed above it as it finishes (every cell with --format lines).
// Elsewhere (CI logs, pipes): one plain line per finished cell. Nothing with -q.
#include <cstddef>
#include <string>

#include "cli/progress_line.hpp"
#include "omni/matrix/runner.hpp"

namespace omni::cli {

class MatrixProgress {
  public:
    // `every_cell`: on a terminal, print passed cells above the line too.
    MatrixProgress(std::size_t total, ProgressMode mode, bool every_cell);

    matrix::RunnerEvents events();

  private:
    void started(const matrix::Cell& cell, const matrix::Progress& progress);
    void finished(const matrix::CellResult& result, const matrix::Progress& progress);
    void redraw(const matrix::Progress& progress, std::string subject);

    bool every_cell_;
    ProgressLine line_;
};

}  // namespace omni::cli
