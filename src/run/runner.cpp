#include "omni/run/runner.hpp"

#include <csignal>

#include "omni/util/process.hpp"

namespace omni::run {

namespace {

// While the child runs, Ctrl-C is the child's to handle: omni ignores it and
// reports whatever the child does with it.
class IgnoreInterrupts {
  public:
    IgnoreInterrupts() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigaction(SIGINT, &ignore, &saved_int_);
        sigaction(SIGQUIT, &ignore, &saved_quit_);
    }
    ~IgnoreInterrupts() {
        sigaction(SIGINT, &saved_int_, nullptr);
        sigaction(SIGQUIT, &saved_quit_, nullptr);
    }
    IgnoreInterrupts(const IgnoreInterrupts&) = delete;
    IgnoreInterrupts& operator=(const IgnoreInterrupts&) = delete;

  private:
    struct sigaction saved_int_ {};
    struct sigaction saved_quit_ {};
};

}  // namespace

RunResult run_once(const RunTarget& target,
                   const std::map<std::string, std::optional<std::string>>& env,
                   const std::function<void(std::string_view)>& stderr_sink) {
    ProcessOptions options;
    options.argv = target.argv;
    options.env = env;
    options.stdout_mode = StreamMode::inherit;
    options.stderr_mode = StreamMode::capture;
    options.on_stderr = stderr_sink;
    options.capture_limit = 64 * 1024;
    options.inherit_stdin = true;
    const IgnoreInterrupts guard;
    const auto result = run_process(options);
    return {result.term_signal != 0 ? 128 + result.term_signal : result.exit_code, result.err,
            result.elapsed};
}

}  // namespace omni::run
