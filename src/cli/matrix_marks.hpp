#pragma once
// The mark and tone of each cell status, shared by the progress line and
// the grid: ✓ passed, ✗ failed, ! error (the cell could not run), ◷ timed
// out, - skipped.
#include <string>
#include <string_view>

#include "cli/style.hpp"
#include "omni/matrix/report.hpp"

namespace omni::cli {

std::string_view mark_of(matrix::CellStatus status);
Tone tone_of(matrix::CellStatus status);
std::string paint_mark(const Style& style, matrix::CellStatus status);

}  // namespace omni::cli
