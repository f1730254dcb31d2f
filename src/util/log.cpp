#include "omni/util/log.hpp"

#include <mutex>

#include <spdlog/sinks/base_sink.h>
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

// Hands each message, scrubbed, to the real sinks: whatever a log call
// forgot to hide never reaches the terminal or the log file.
class ScrubbingSink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    ScrubbingSink(std::function<std::string(std::string_view)> scrub,
                  std::vector<spdlog::sink_ptr> sinks)
        : scrub_(std::move(scrub)), sinks_(std::move(sinks)) {}

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        const auto text = scrub_(std::string_view(msg.payload.data(), msg.payload.size()));
        spdlog::details::log_msg scrubbed(msg);
        scrubbed.payload = spdlog::string_view_t(text.data(), text.size());
        for (auto& each : sinks_)
            if (each->should_log(scrubbed.level))
                each->log(scrubbed);
    }
    void flush_() override {
        for (auto& each : sinks_)
            each->flush();
    }

  private:
    std::function<std::string(std::string_view)> scrub_;
    std::vector<spdlog::sink_ptr> sinks_;
};

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
    if (options.scrub)
        sinks = {std::make_shared<ScrubbingSink>(options.scrub, std::move(sinks))};
    auto log = std::make_shared<spdlog::logger>("omni", sinks.begin(), sinks.end());
    log->set_level(overall);
    log->flush_on(spdlog::level::warn);
    instance() = log;
}

}  // namespace omni
