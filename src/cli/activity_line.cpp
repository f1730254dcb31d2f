#include "cli/activity_line.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "cli/units.hpp"

namespace omni::cli {

namespace {

std::string mib(std::uint64_t bytes) {
    return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

std::string plain_line(const IndexProgress& p) {
    return fmt::format("index: {} packages read, {} requests in flight, {} done, {}", p.packages,
                       p.in_flight, p.requests, mib(p.bytes));
}

void erase_one(std::multiset<std::string>& set, const std::string& item) {
    if (const auto it = set.find(item); it != set.end())
        set.erase(it);
}

}  // namespace

ActivityLine::ActivityLine(bool quiet, bool terminal)
    : quiet_(quiet),
      terminal_(terminal),
      // Plain lines only for index work that lasts: the first after a second.
      last_plain_(std::chrono::steady_clock::now()) {}

void ActivityLine::index(const IndexProgress& p) {
    if (quiet_)
        return;
    const std::lock_guard lock(mutex_);
    index_ = p;
    if (p.final) {
        index_.in_flight = 0;
        if (!terminal_ && p.requests > 0)
            fmt::print(stderr, "index: {} packages read in {} requests, {}\n", p.packages,
                       p.requests, mib(p.bytes));
        line_.reset();  // the command is over: the line goes
        return;
    }
    if (terminal_) {
        redraw_locked();
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (suspended_ || p.in_flight == 0 || now - last_plain_ < std::chrono::seconds(1))
        return;
    last_plain_ = now;
    fmt::print(stderr, "{}\n", plain_line(p));
}

void ActivityLine::step(const bubble::ProvisionStep& s) {
    if (quiet_ || !terminal_)
        return;
    const std::lock_guard lock(mutex_);
    using Kind = bubble::ProvisionStep::Kind;
    switch (s.kind) {
        case Kind::unpacking:
            unpacked_ = s.done;
            to_unpack_ = s.done >= s.total ? 0 : s.total;
            break;
        case Kind::building:
            if (s.finished)
                erase_one(building_, s.subject);
            else
                building_.insert(s.subject);
            break;
        case Kind::bubble:
            if (s.finished)
                erase_one(bubbles_, s.subject);
            else
                bubbles_.insert(s.subject);
            break;
    }
    subject_ = s.finished ? "" : s.subject;
    redraw_locked();
}

void ActivityLine::suspend() {
    const std::lock_guard lock(mutex_);
    suspended_ = true;
    line_.reset();
}

void ActivityLine::redraw_locked() {
    if (suspended_)
        return;
    std::vector<Counter> counters;
    std::string title;
    if (!bubbles_.empty()) {
        title = "building";
        counters.push_back(
            {std::to_string(bubbles_.size()), bubbles_.size() == 1 ? "bubble" : "bubbles"});
    }
    if (!building_.empty()) {
        title = title.empty() ? "building" : title;
        counters.push_back(
            {std::to_string(building_.size()), building_.size() == 1 ? "sdist" : "sdists"});
    }
    if (to_unpack_ > 0) {
        title = title.empty() ? "unpacking" : title;
        counters.push_back({fmt::format("{}/{}", unpacked_, to_unpack_), "wheels unpacked"});
    }
    if (index_.in_flight > 0) {
        title = title.empty() ? "index" : title;
        const auto now = std::chrono::steady_clock::now();
        if (!busy_since_)
            busy_since_ = now;
        counters.push_back({std::to_string(index_.packages), "packages read"});
        counters.push_back({std::to_string(index_.in_flight), "in flight"});
        counters.push_back({format_bytes(index_.bytes), ""});
        // The rate over this stretch of work, once it means something.
        const double seconds = std::chrono::duration<double>(now - *busy_since_).count();
        if (seconds > 0.5 && index_.bytes > busy_bytes_)
            counters.push_back(
                {format_rate(static_cast<double>(index_.bytes - busy_bytes_) / seconds), ""});
    } else {
        busy_since_.reset();
        busy_bytes_ = index_.bytes;
    }
    if (counters.empty()) {
        if (line_)
            line_->clear();  // nothing under way: the line goes at once
        return;
    }
    if (!line_)
        line_ = std::make_unique<ProgressLine>(stderr, ProgressMode::live, title);
    line_->update(std::move(counters), subject_, title);
}

}  // namespace omni::cli
