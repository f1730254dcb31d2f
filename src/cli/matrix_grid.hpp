#pragma once
// The matrix at a glance: versions as rows, interpreters (x resolution) as
// columns, each cell a mark with its time; below it the failing line of the
// cells that did not pass (cells of one interpreter that failed alike on one
// line), with a log. Fits `width` columns: the times go first, then the
// columns are split into several grids.
#include <cstddef>
#include <set>
#include <string>

#include "cli/style.hpp"
#include "omni/matrix/report.hpp"

namespace omni::cli {

struct GridOptions {
    std::size_t width = 0;  // 0: no limit
    Style style;
    // Indices of the cells where the result changes (--bisect), marked ◀.
    std::set<std::size_t> boundary = {};
};

std::string render_grid(const matrix::MatrixReport& report, const GridOptions& options);

}  // namespace omni::cli
