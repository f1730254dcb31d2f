#pragma once
// Child processes without a shell: argv goes to execve as it is.
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omni {

enum class StreamMode {
    capture,  // collected into ProcessResult::out / err (and passed to the callback)
    inherit,  // the child writes straight to omni's own stream
    discard,  // /dev/null
};

struct ProcessOptions {
    std::vector<std::string> argv;  // argv[0] is looked up on PATH when it has no '/'
    std::filesystem::path cwd;      // empty: omni's own
    // Variables set (or, with a nullopt value, removed) on top of omni's own
    // environment; with clear_environment, on top of an empty one.
    std::map<std::string, std::optional<std::string>> env;
    bool clear_environment = false;
    StreamMode stdout_mode = StreamMode::capture;
    StreamMode stderr_mode = StreamMode::capture;
    // Called with each chunk as it arrives, for live streaming of captured output.
    std::function<void(std::string_view)> on_stdout;
    std::function<void(std::string_view)> on_stderr;
    // Keep only the last this many bytes of each captured stream (0 = all).
    std::size_t capture_limit = 0;
    std::optional<std::string> stdin_data;  // nullopt: /dev/null unless inherit_stdin
    bool inherit_stdin = false;
    std::chrono::milliseconds timeout{0};  // 0: none
    // Own process group, so a timeout kills grandchildren too. Leave off for
    // a child that must receive the terminal's Ctrl-C.
    bool new_process_group = false;
};

struct ProcessResult {
    int exit_code = -1;  // valid when term_signal == 0
    int term_signal = 0;
    bool timed_out = false;
    std::string out;
    std::string err;
    std::chrono::milliseconds elapsed{0};

    bool ok() const { return term_signal == 0 && !timed_out && exit_code == 0; }
    // "exit code 3", "killed by signal 9 (Killed)", "timed out after 5000 ms".
    std::string describe() const;
};

// Runs a child to completion. Throws Error(process) when it cannot start.
ProcessResult run_process(const ProcessOptions& options);

// `text` as one POSIX shell word: single-quoted, with each ' written '\''.
std::string shell_quote(std::string_view text);

// Looks a program up on PATH as execvp would; empty when not found.
std::filesystem::path find_program(std::string_view name);
// The same, searching `search_path` (a PATH value).
std::filesystem::path find_program(std::string_view name, std::string_view search_path);

}  // namespace omni
