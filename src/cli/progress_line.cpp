#include "cli/progress_line.hpp"

#include <fmt/format.h>

#include "cli/style.hpp"
#include "cli/terminal.hpp"
#include "cli/units.hpp"

namespace omni::cli {

ProgressMode progress_mode(bool quiet, std::FILE* stream) {
    if (quiet)
        return ProgressMode::silent;
    return is_terminal(::fileno(stream)) ? ProgressMode::live : ProgressMode::plain;
}

ProgressLine::ProgressLine(std::FILE* stream, ProgressMode mode, std::string title)
    : stream_(stream),
      mode_(mode),
      title_(std::move(title)),
      start_(std::chrono::steady_clock::now()) {
    if (mode_ != ProgressMode::live)
        return;
    line_.emplace(stream_);
    ticker_ = std::thread([this] { tick(); });
}

ProgressLine::~ProgressLine() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (ticker_.joinable())
        ticker_.join();
    if (line_)
        line_->clear();
}

std::string ProgressLine::render_locked() const {
    const auto& style = stream_ == stderr ? err_style() : out_style();
    std::string text = style.paint(Tone::heading, title_);
    for (std::size_t i = 0; i < counters_.size(); ++i) {
        text += i == 0 ? "  " : style.paint(Tone::dim, " · ");
        text += counters_[i].value;
        if (!counters_[i].label.empty())
            text += " " + counters_[i].label;
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start_);
    text += "  " + style.paint(Tone::dim, format_duration(elapsed));
    if (!subject_.empty())
        text += "  " + subject_;
    return text;
}

void ProgressLine::update(std::vector<Counter> counters, std::string subject, std::string title) {
    if (mode_ != ProgressMode::live)
        return;
    std::lock_guard lock(mutex_);
    if (!title.empty())
        title_ = std::move(title);
    counters_ = std::move(counters);
    subject_ = std::move(subject);
    active_ = true;
    line_->draw(render_locked());
}

void ProgressLine::note(std::string_view text) {
    switch (mode_) {
        case ProgressMode::silent:
            return;
        case ProgressMode::plain:
            fmt::print(stream_, "{}\n", text);
            std::fflush(stream_);
            return;
        case ProgressMode::live:
            line_->print_above(text);
            return;
    }
}

void ProgressLine::clear() {
    if (mode_ != ProgressMode::live)
        return;
    std::lock_guard lock(mutex_);
    active_ = false;
    line_->clear();
}

void ProgressLine::tick() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, std::chrono::milliseconds(250));
        if (!stopping_ && active_)
            line_->draw(render_locked());
    }
}

}  // namespace omni::cli
