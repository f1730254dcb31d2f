#include "omni/matrix/bisect.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include <fmt/format.h>

namespace omni::matrix {

namespace {

bool passed(const CellResult& r) {
    return r.status == CellStatus::passed;
}

std::string outcome(const CellResult& r) {
    return std::string(passed(r) ? "passed" : to_string(r.status));
}

}  // namespace

std::string BisectResult::summary() const {
    const auto ran = fmt::format("{} of {} versions run", cells.size(), versions);
    if (!after)
        return fmt::format("{}: no version ran", python);
    if (!before)
        return fmt::format("{}: no change, every version {} ({})", python, outcome(*after), ran);
    const bool broke = !passed(*after);
    return fmt::format("{}: first {} {} ({}), last {} {} ({}) ({})", python,
                       broke ? "failing" : "passing", after->cell.version, outcome(*after),
                       broke ? "passing" : "failing", before->cell.version, outcome(*before), ran);
}

BisectFinding BisectResult::finding() const {
    BisectFinding out;
    out.python = python;
    out.versions = versions;
    out.cells_run = cells.size();
    if (before) {
        out.before = before->cell.version;
        out.before_status = std::string(to_string(before->status));
    }
    if (after) {
        out.after = after->cell.version;
        out.after_status = std::string(to_string(after->status));
    }
    out.summary = summary();
    return out;
}

std::vector<BisectResult> bisect(const MatrixPlan& plan, const CellExecutor& execute,
                                 std::size_t jobs,
                                 const std::function<void(const CellResult&)>& on_cell) {
    std::vector<BisectResult> results(plan.pythons.size());
    if (results.empty())
        return results;
    std::mutex events;
    const auto search = [&](std::size_t which) {
        auto& out = results[which];
        out.python = plan.pythons[which];
        // This interpreter's cells, oldest version first.
        std::vector<Cell> cells;
        for (const auto& cell : plan.matrix)
            if (cell.python == out.python && cell.resolution == "highest")
                cells.push_back(cell);
        std::reverse(cells.begin(), cells.end());
        out.versions = cells.size();
        if (cells.empty())
            return;
        const auto run = [&](std::size_t i) {
            CellResult r;
            try {
                r = execute(cells[i]);
            } catch (const std::exception& e) {
                r = {cells[i], CellStatus::error, 0, {}, {}, e.what(), {}};
            }
            r.cell = cells[i];
            out.cells.push_back(r);
            if (on_cell) {
                std::lock_guard lock(events);
                on_cell(r);
            }
            return r;
        };
        // The newest decides what "changed" means; the search finds the
        // oldest version with its result. lo is the newest index known to
        // differ (-1: none known yet), hi the oldest known to match.
        std::optional<CellResult> hi_result = run(cells.size() - 1);
        std::ptrdiff_t lo = -1;
        auto hi = static_cast<std::ptrdiff_t>(cells.size()) - 1;
        std::optional<CellResult> lo_result;
        const bool newest_passed = passed(*hi_result);
        while (hi - lo > 1) {
            const auto mid = lo + (hi - lo) / 2;
            auto r = run(static_cast<std::size_t>(mid));
            if (passed(r) == newest_passed) {
                hi = mid;
                hi_result = std::move(r);
            } else {
                lo = mid;
                lo_result = std::move(r);
            }
        }
        out.after = hi_result;
        out.before = lo_result;
    };
    std::atomic<std::size_t> next{0};
    const auto worker = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < results.size();)
            search(i);
    };
    const std::size_t threads = std::clamp<std::size_t>(
        jobs == 0 ? std::thread::hardware_concurrency() : jobs, 1, results.size());
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t)
        pool.emplace_back(worker);
    for (auto& t : pool)
        t.join();
    return results;
}

}  // namespace omni::matrix
