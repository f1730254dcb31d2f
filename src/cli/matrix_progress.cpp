#include "cli/matrix_progress.hpp"

#include <cstdio>

#include <fmt/format.h>

namespace omni::cli {

MatrixProgress::MatrixProgress(std::size_t total, bool terminal)
    : terminal_(terminal), start_(std::chrono::steady_clock::now()) {
    progress_.total = total;
    if (terminal_)
        ticker_ = std::thread([this] { tick(); });
}

MatrixProgress::~MatrixProgress() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (ticker_.joinable())
        ticker_.join();
    if (terminal_) {
        fmt::print("\r\033[K");
        std::fflush(stdout);
    }
}

matrix::RunnerEvents MatrixProgress::events() {
    matrix::RunnerEvents events;
    events.on_start = [this](const matrix::Cell&, const matrix::Progress& p) { started(p); };
    events.on_done = [this](const matrix::CellResult& r, const matrix::Progress& p) {
        finished(r, p);
    };
    return events;
}

void MatrixProgress::started(const matrix::Progress& progress) {
    std::lock_guard lock(mutex_);
    progress_ = progress;
    if (terminal_)
        draw_status_locked();
}

void MatrixProgress::finished(const matrix::CellResult& r, const matrix::Progress& progress) {
    std::lock_guard lock(mutex_);
    progress_ = progress;
    const bool passed = r.status == matrix::CellStatus::passed;
    const auto line =
        fmt::format("[{}/{}] {:<24} {:<10} {:>6.2f}s{}", progress.done, progress.total, r.cell.id(),
                    matrix::to_string(r.status), std::chrono::duration<double>(r.duration).count(),
                    passed ? "" : "  " + r.log.string());
    if (terminal_) {
        fmt::print("\r\033[K{}\n", line);
        draw_status_locked();
    } else {
        fmt::print("{}\n", line);
    }
    std::fflush(stdout);
}

void MatrixProgress::draw_status_locked() {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    fmt::print("\r\033[K{}/{} done, {} failed, {} running, {:.1f}s", progress_.done,
               progress_.total, progress_.failed, progress_.running, elapsed);
    std::fflush(stdout);
}

void MatrixProgress::tick() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, std::chrono::milliseconds(200));
        if (!stopping_)
            draw_status_locked();
    }
}

}  // namespace omni::cli
