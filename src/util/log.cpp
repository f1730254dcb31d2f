#include "omni/util/log.hpp"

#include <mutex>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace omni {

namespace {

std::shared_ptr<spdlog::logger>& instance() {
    static std::shared_ptr<spdlog::logger> log =
        std::make_shared<spdlog::logger>("omni", std::make_shared<spdlog::sinks::null_sink_mt>());
    return log;
}

spdlog::level::level_enum to_spdlog(LogLevel level) {
    switch (level) {
        case LogLevel::trace:
            return spdlog::level::trace;
        case LogLevel::debug:
            return spdlog::level::debug;
        case LogLevel::info:
            return spdlog::level::info;
        case LogLevel::warn:
            return spdlog::level::warn;
        case LogLevel::error:
            return spdlog::level::err;
        case LogLevel::off:
            return spdlog::level::off;
    }
    return spdlog::level::warn;
}

}  // namespace

spdlog::logger& logger() {
    return *instance();
}

void configure_logging(const LogOptions& options) {
    std::vector<spdlog::sink_ptr> sinks;
    // The CLI decides about colour (NO_COLOR, --color); spdlog does not guess.
    auto terminal = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(
        options.color ? spdlog::color_mode::always : spdlog::color_mode::never);
    terminal->set_color(spdlog::level::warn, "\x1b[1;33m");
    terminal->set_color(spdlog::level::err, "\x1b[1;31m");
    terminal->set_level(to_spdlog(options.terminal_level));
    terminal->set_pattern("%^%l%$: %v");
    sinks.push_back(terminal);
    auto overall = to_spdlog(options.terminal_level);
    if (!options.log_file.empty()) {
        auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.log_file);
        file->set_level(spdlog::level::debug);
        file->set_pattern("%Y-%m-%dT%H:%M:%S.%e [%P] %l: %v");
        sinks.push_back(file);
        overall = std::min(overall, spdlog::level::debug);
    }
    auto log = std::make_shared<spdlog::logger>("omni", sinks.begin(), sinks.end());
    log->set_level(overall);
    log->flush_on(spdlog::level::warn);
    instance() = log;
}

}  // namespace omni
