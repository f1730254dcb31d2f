#include "cli/index_progress.hpp"

#include <chrono>
#include <cstdio>

#include <unistd.h>

#include <fmt/format.h>

#include "cli/terminal.hpp"
#include "cli/text_width.hpp"

namespace omni::cli {

namespace {

std::string mib(std::uint64_t bytes) {
    return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

std::string line(const IndexProgress& p) {
    return fmt::format("index: {} packages read, {} requests in flight, {} done, {}", p.packages,
                       p.in_flight, p.requests, mib(p.bytes));
}

}  // namespace

std::shared_ptr<IndexMeter> make_index_meter(bool quiet, bool terminal) {
    if (quiet)
        return std::make_shared<IndexMeter>(nullptr);
    auto last_plain = std::make_shared<std::chrono::steady_clock::time_point>();
    auto drawn = std::make_shared<bool>(false);
    auto sink = [terminal, last_plain, drawn](const IndexProgress& p) {
        if (p.final) {
            // On a terminal the line is cleared when done; elsewhere a summary.
            if (*drawn)
                std::fputs("\r\033[K", stderr);
            if (!terminal && p.requests > 0)
                fmt::print(stderr, "index: {} packages read in {} requests, {}\n", p.packages,
                           p.requests, mib(p.bytes));
            *drawn = false;
            return;
        }
        if (terminal) {
            const auto width = terminal_width(STDERR_FILENO);
            fmt::print(stderr, "\r\033[K{}", fit_width(line(p), width > 1 ? width - 1 : 1));
            std::fflush(stderr);
            *drawn = true;
            return;
        }
        const auto now = std::chrono::steady_clock::now();
        if (now - *last_plain < std::chrono::seconds(1))
            return;
        *last_plain = now;
        fmt::print(stderr, "{}\n", line(p));
    };
    return std::make_shared<IndexMeter>(sink);
}

}  // namespace omni::cli
