#pragma once
// Running a script once, the way a user would see it run: stdout and stdin
// pass straight through, stderr streams live while its tail is kept for the
// analyzers, Ctrl-C reaches the child, and its exit status is reported.
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omni::run {

struct RunTarget {
    std::vector<std::string> argv;  // python and its arguments, or a console tool
    std::filesystem::path script;   // the script file, when running one
};

struct RunResult {
    int exit_code = 0;        // 128 + signal when the child was killed
    std::string stderr_tail;  // the last 64 KiB of stderr
    std::chrono::milliseconds elapsed{0};
};

// `stderr_sink` receives stderr as it arrives (the CLI writes it to the
// terminal); `env` is set on top of omni's own environment.
RunResult run_once(const RunTarget& target,
                   const std::map<std::string, std::optional<std::string>>& env,
                   const std::function<void(std::string_view)>& stderr_sink);

}  // namespace omni::run
