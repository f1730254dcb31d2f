#include "cli/matrix_progress.hpp"

#include <fmt/format.h>

#include "cli/matrix_marks.hpp"
#include "cli/style.hpp"
#include "cli/units.hpp"

namespace omni::cli {

MatrixProgress::MatrixProgress(std::size_t total, ProgressMode mode, bool every_cell)
    : every_cell_(every_cell), line_(stdout, mode, "matrix") {
    matrix::Progress start;
    start.total = total;
    redraw(start, {});
}

matrix::RunnerEvents MatrixProgress::events() {
    matrix::RunnerEvents events;
    events.on_start = [this](const matrix::Cell& c, const matrix::Progress& p) { started(c, p); };
    events.on_done = [this](const matrix::CellResult& r, const matrix::Progress& p) {
        finished(r, p);
    };
    return events;
}

void MatrixProgress::redraw(const matrix::Progress& p, std::string subject) {
    const auto& style = out_style();
    std::vector<Counter> counters{{fmt::format("{}/{}", p.done, p.total), "done"}};
    if (p.failed > 0)
        counters.push_back({style.paint(Tone::failed, std::to_string(p.failed)), "failed"});
    counters.push_back({std::to_string(p.running), "running"});
    line_.update(std::move(counters), std::move(subject));
}

void MatrixProgress::started(const matrix::Cell& cell, const matrix::Progress& progress) {
    redraw(progress, cell.id());
}

void MatrixProgress::finished(const matrix::CellResult& r, const matrix::Progress& progress) {
    const bool passed = r.status == matrix::CellStatus::passed;
    const auto seconds = std::chrono::duration<double>(r.duration).count();
    if (line_.mode() == ProgressMode::plain) {
        line_.note(fmt::format("[{}/{}] {:<24} {:<10} {:>6.2f}s{}", progress.done, progress.total,
                               r.cell.id(), matrix::to_string(r.status), seconds,
                               passed ? "" : "  " + r.log.string()));
    } else if (!passed || every_cell_) {
        const auto& style = out_style();
        line_.note(fmt::format("{} {} {} {}{}", paint_mark(style, r.status), r.cell.id(),
                               style.paint(tone_of(r.status), matrix::to_string(r.status)),
                               style.paint(Tone::dim, format_duration(r.duration)),
                               r.detail.empty() ? "" : "  " + r.detail));
    }
    redraw(progress, {});
}

}  // namespace omni::cli
