#include <catch2/catch.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "omni/matrix/runner.hpp"

using namespace omni::matrix;

namespace {
std::vector<Cell> cells(std::size_t n) {
    CellAxes axes;
    axes.pythons = {"3.11"};
    for (std::size_t i = 0; i < n; ++i)
        axes.versions.push_back("1." + std::to_string(i));
    return make_cells(axes);
}
}  // namespace

TEST_CASE("matrix runner: every cell runs once, in parallel, results in order") {
    std::mutex m;
    std::multiset<std::size_t> ran;
    std::set<std::thread::id> threads;
    std::size_t max_running = 0;
    RunnerEvents events;
    events.on_start = [&](const Cell&, const Progress& p) {
        max_running = std::max(max_running, p.running);
    };
    const auto results = run_cells(
        cells(20),
        [&](const Cell& c) {
            {
                std::lock_guard lock(m);
                ran.insert(c.index);
                threads.insert(std::this_thread::get_id());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            return CellResult{
                c, c.index % 5 == 0 ? CellStatus::failed : CellStatus::passed, 0, {}, {}, "", {}};
        },
        {4, false}, events);
    REQUIRE(results.size() == 20);
    for (std::size_t i = 0; i < 20; ++i) {
        CHECK(ran.count(i) == 1);
        CHECK(results[i].cell.index == i);
    }
    CHECK(threads.size() > 1);
    CHECK(max_running > 1);
    CHECK(std::count_if(results.begin(), results.end(),
                        [](auto& r) { return r.status == CellStatus::failed; }) == 4);
}

TEST_CASE("matrix runner: an exception is an error result and fail-fast skips the rest") {
    const auto results = run_cells(cells(10),
                                   [](const Cell& c) -> CellResult {
                                       if (c.index == 0)
                                           throw std::runtime_error("no interpreter");
                                       std::this_thread::sleep_for(std::chrono::milliseconds(20));
                                       return {c, CellStatus::passed, 0, {}, {}, "", {}};
                                   },
                                   {1, true});
    CHECK(results[0].status == CellStatus::error);
    CHECK(results[0].detail == "no interpreter");
    for (std::size_t i = 1; i < 10; ++i)
        CHECK(results[i].status == CellStatus::skipped);
}
