#include "omni/matrix/runner.hpp"

#include <atomic>
#include <mutex>
#include <thread>

namespace omni::matrix {

std::vector<CellResult> run_cells(const std::vector<Cell>& cells, const CellExecutor& execute,
                                  const RunnerOptions& options, const RunnerEvents& events) {
    std::vector<CellResult> results(cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i)
        results[i] = {cells[i], CellStatus::skipped, 0, {}, {}, "not run", {}};
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::mutex events_mutex;
    Progress progress;
    progress.total = cells.size();

    const auto worker = [&] {
        for (;;) {
            if (stop)
                return;
            const std::size_t i = next.fetch_add(1);
            if (i >= cells.size())
                return;
            {
                std::lock_guard lock(events_mutex);
                ++progress.running;
                if (events.on_start)
                    events.on_start(cells[i], progress);
            }
            CellResult result;
            try {
                result = execute(cells[i]);
            } catch (const std::exception& e) {
                result = {cells[i], CellStatus::error, 0, {}, {}, e.what(), {}};
            }
            result.cell = cells[i];
            const bool failed = result.status != CellStatus::passed;
            if (failed && options.fail_fast)
                stop = true;
            std::lock_guard lock(events_mutex);
            --progress.running;
            ++progress.done;
            if (failed)
                ++progress.failed;
            results[i] = std::move(result);
            if (events.on_done)
                events.on_done(results[i], progress);
        }
    };
    std::size_t jobs =
        options.jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.jobs;
    jobs = std::min(jobs, std::max<std::size_t>(cells.size(), 1));
    std::vector<std::thread> threads;
    for (std::size_t j = 0; j < jobs; ++j)
        threads.emplace_back(worker);
    for (auto& t : threads)
        t.join();
    return results;
}

}  // namespace omni::matrix
