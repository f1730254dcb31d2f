#pragma once
// Logging goes through one spdlog logger. Library code logs; only the CLI
// decides where logs go (configure_logging), so the library never writes to
// the terminal by itself.
#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace omni {

enum class LogLevel { trace, debug, info, warn, error, off };

struct LogOptions {
    LogLevel terminal_level = LogLevel::warn;  // what reaches stderr
    std::string log_file;                      // empty: none; otherwise gets debug and up
    bool color = false;                        // colour the level names on stderr
};

// The library's logger. Until configured it discards everything.
spdlog::logger& logger();

void configure_logging(const LogOptions& options);

}  // namespace omni
