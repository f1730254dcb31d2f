#pragma once
// Logging goes through one spdlog logger. Library code logs; only the CLI
// decides where logs go (configure_logging), so the library never writes to
// the terminal by itself.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

namespace omni {

enum class LogLevel { trace, debug, info, warn, error, off };

struct LogOptions {
    LogLevel terminal_level = LogLevel::warn;  // what reaches stderr
    std::string log_file;                      // empty: none; otherwise gets debug and up
    bool color = false;                        // colour the level names on stderr
    // Applied to every message before any sink sees it (the CLI hides
    // credentials in URLs with it); empty: messages pass as they are.
    std::function<std::string(std::string_view)> scrub;
};

// The library's logger. Until configured it discards everything.
spdlog::logger& logger();

void configure_logging(const LogOptions& options);

}  // namespace omni
