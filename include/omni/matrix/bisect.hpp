#pragma once
// `omni matrix PKG --bisect`: per interpreter, the first version at which
// the test's result changes ("which release broke us"), found by binary
// search over the selected versions (oldest to newest, assumed to change
// once): the newest version runs first, then ceil(log2(n)) more cells, so
// 32 versions take at most 6 cells.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "omni/matrix/plan.hpp"
#include "omni/matrix/report.hpp"
#include "omni/matrix/runner.hpp"

namespace omni::matrix {

struct BisectResult {
    std::string python;
    std::size_t versions = 0;       // how many versions the search covered
    std::vector<CellResult> cells;  // in the order they ran
    // The boundary: `before` is the newest version with the oldest
    // version's result, `after` the oldest with the newest's. Both empty
    // when every version has the same result; `before` empty when even the
    // oldest has the newest's result.
    std::optional<CellResult> before, after;

    bool changed() const { return before && after; }
    // "3.11: first failing 2.6 (failed), last passing 2.5 (passed) (6 of 32 versions run)"
    std::string summary() const;
    // The same, for the JSON report.
    BisectFinding finding() const;
};

// One search per interpreter of the plan (its "highest" cells), run side by
// side on up to `jobs` threads. `on_cell` sees each cell as it finishes.
std::vector<BisectResult> bisect(const MatrixPlan& plan, const CellExecutor& execute,
                                 std::size_t jobs,
                                 const std::function<void(const CellResult&)>& on_cell = {});

}  // namespace omni::matrix
