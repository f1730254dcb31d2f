#pragma once
// Runs matrix cells on a fixed set of worker threads that claim cells
// through one atomic index. Events reach the caller one at a time, so its
// printer needs no lock of its own.
#include <cstddef>
#include <functional>
#include <vector>

#include "omni/matrix/report.hpp"

namespace omni::matrix {

struct RunnerOptions {
    std::size_t jobs = 0;  // 0: one per hardware thread
    bool fail_fast = false;
};

struct Progress {
    std::size_t done = 0, failed = 0, running = 0, total = 0;
};

struct RunnerEvents {
    std::function<void(const Cell&, const Progress&)> on_start;
    std::function<void(const CellResult&, const Progress&)> on_done;
};

// Runs one cell; an exception becomes an `error` result naming it.
using CellExecutor = std::function<CellResult(const Cell&)>;

// Results in cell order. With fail_fast, cells not started after the first
// failure are `skipped`.
std::vector<CellResult> run_cells(const std::vector<Cell>& cells, const CellExecutor& execute,
                                  const RunnerOptions& options, const RunnerEvents& events = {});

}  // namespace omni::matrix
