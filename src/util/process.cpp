#include "omni/util/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "omni/util/error.hpp"

extern char** environ;

namespace omni {

namespace {

struct Pipe {
    int read = -1;
    int write = -1;
    void open() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0)
            throw_errno("create pipe", "", errno);
        read = fds[0];
        write = fds[1];
    }
    static void close_fd(int& fd) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
    ~Pipe() {
        close_fd(read);
        close_fd(write);
    }
};

std::vector<std::string> build_environment(const ProcessOptions& options) {
    std::map<std::string, std::string> vars;
    if (!options.clear_environment) {
        for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
            std::string_view entry(*e);
            const auto eq = entry.find('=');
            if (eq == std::string_view::npos)
                continue;
            vars.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
        }
    }
    for (const auto& [key, value] : options.env) {
        if (value)
            vars[key] = *value;
        else
            vars.erase(key);
    }
    std::vector<std::string> out;
    out.reserve(vars.size());
    for (const auto& [key, value] : vars)
        out.push_back(key + "=" + value);
    return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (auto& s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

void append_limited(std::string& buffer, std::string_view chunk, std::size_t limit) {
    buffer.append(chunk);
    if (limit != 0 && buffer.size() > limit)
        buffer.erase(0, buffer.size() - limit);
}

class SpawnActions {
  public:
    SpawnActions() { posix_spawn_file_actions_init(&actions_); }
    ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
    posix_spawn_file_actions_t* get() { return &actions_; }

  private:
    posix_spawn_file_actions_t actions_;
};

class SpawnAttributes {
  public:
    SpawnAttributes() { posix_spawnattr_init(&attr_); }
    ~SpawnAttributes() { posix_spawnattr_destroy(&attr_); }
    posix_spawnattr_t* get() { return &attr_; }

  private:
    posix_spawnattr_t attr_;
};

}  // namespace

std::string ProcessResult::describe() const {
    if (timed_out)
        return fmt::format("timed out after {} ms", elapsed.count());
    if (term_signal != 0)
        return fmt::format("killed by signal {} ({})", term_signal, ::strsignal(term_signal));
    return fmt::format("exit code {}", exit_code);
}

std::filesystem::path find_program(std::string_view name) {
    const char* path = std::getenv("PATH");
    return find_program(name, path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
}

std::filesystem::path find_program(std::string_view name, std::string_view search_path) {
    if (name.find('/') != std::string_view::npos)
        return std::filesystem::path(name);
    std::string_view dirs = search_path;
    while (true) {
        const auto colon = dirs.find(':');
        std::string_view dir = dirs.substr(0, colon);
        std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate))
            return candidate;
        if (colon == std::string_view::npos)
            break;
        dirs.remove_prefix(colon + 1);
    }
    return {};
}

ProcessResult run_process(const ProcessOptions& options) {
    if (options.argv.empty())
        throw Error(ErrorCode::internal, "run_process: empty argv");
    // The child's PATH decides, as it would for a shell.
    const auto path_override = options.env.find("PATH");
    const std::filesystem::path program =
        path_override != options.env.end() && path_override->second
            ? find_program(options.argv[0], *path_override->second)
            : find_program(options.argv[0]);
    if (program.empty())
        throw Error(ErrorCode::process,
                    fmt::format("cannot run '{}': not found on PATH", options.argv[0]));

    Pipe out_pipe, err_pipe, in_pipe;
    SpawnActions actions;
    auto* fa = actions.get();

    if (options.stdout_mode == StreamMode::capture) {
        out_pipe.open();
        posix_spawn_file_actions_adddup2(fa, out_pipe.write, STDOUT_FILENO);
    } else if (options.stdout_mode == StreamMode::discard) {
        posix_spawn_file_actions_addopen(fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    }
    if (options.stderr_mode == StreamMode::capture) {
        err_pipe.open();
        posix_spawn_file_actions_adddup2(fa, err_pipe.write, STDERR_FILENO);
    } else if (options.stderr_mode == StreamMode::discard) {
        posix_spawn_file_actions_addopen(fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    }
    if (options.stdin_data) {
        in_pipe.open();
        posix_spawn_file_actions_adddup2(fa, in_pipe.read, STDIN_FILENO);
    } else if (!options.inherit_stdin) {
        posix_spawn_file_actions_addopen(fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    if (!options.cwd.empty())
        posix_spawn_file_actions_addchdir_np(fa, options.cwd.c_str());

    SpawnAttributes attributes;
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    sigset_t empty_mask, default_signals;
    sigemptyset(&empty_mask);
    sigemptyset(&default_signals);
    sigaddset(&default_signals, SIGPIPE);
    sigaddset(&default_signals, SIGINT);
    sigaddset(&default_signals, SIGTERM);
    posix_spawnattr_setsigmask(attributes.get(), &empty_mask);
    posix_spawnattr_setsigdefault(attributes.get(), &default_signals);
    if (options.new_process_group) {
        flags |= POSIX_SPAWN_SETPGROUP;
        posix_spawnattr_setpgroup(attributes.get(), 0);
    }
    posix_spawnattr_setflags(attributes.get(), flags);

    std::vector<std::string> argv_strings = options.argv;
    std::vector<std::string> env_strings = build_environment(options);
    auto argv = c_strings(argv_strings);
    auto envp = c_strings(env_strings);

    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    const int rc =
        ::posix_spawn(&pid, program.c_str(), fa, attributes.get(), argv.data(), envp.data());
    if (rc != 0)
        throw Error(ErrorCode::process,
                    fmt::format("cannot run '{}': {}", program.string(), std::strerror(rc)));
    Pipe::close_fd(out_pipe.write);
    Pipe::close_fd(err_pipe.write);
    Pipe::close_fd(in_pipe.read);

    ProcessResult result;
    std::string_view pending_input = options.stdin_data ? *options.stdin_data : std::string_view();
    if (options.stdin_data && pending_input.empty())
        Pipe::close_fd(in_pipe.write);
    if (in_pipe.write >= 0)
        ::fcntl(in_pipe.write, F_SETFL, O_NONBLOCK);

    const auto deadline = start + options.timeout;
    char buffer[65536];
    while (out_pipe.read >= 0 || err_pipe.read >= 0 || in_pipe.write >= 0) {
        pollfd fds[3];
        nfds_t count = 0;
        if (out_pipe.read >= 0)
            fds[count++] = {out_pipe.read, POLLIN, 0};
        if (err_pipe.read >= 0)
            fds[count++] = {err_pipe.read, POLLIN, 0};
        if (in_pipe.write >= 0)
            fds[count++] = {in_pipe.write, POLLOUT, 0};
        int wait_ms = -1;
        if (options.timeout.count() > 0) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            wait_ms = static_cast<int>(std::max<long>(0, left.count()));
        }
        const int ready = ::poll(fds, count, wait_ms);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            throw_errno("poll child output", program.string(), errno);
        }
        if (ready == 0) {
            result.timed_out = true;
            ::kill(options.new_process_group ? -pid : pid, SIGKILL);
            break;
        }
        for (nfds_t i = 0; i < count; ++i) {
            if (fds[i].revents == 0)
                continue;
            if (fds[i].fd == in_pipe.write) {
                const ssize_t n =
                    ::write(in_pipe.write, pending_input.data(), pending_input.size());
                if (n > 0)
                    pending_input.remove_prefix(static_cast<std::size_t>(n));
                if ((n < 0 && errno != EAGAIN && errno != EINTR) || pending_input.empty())
                    Pipe::close_fd(in_pipe.write);
                continue;
            }
            const bool is_out = fds[i].fd == out_pipe.read;
            const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
                std::string_view chunk(buffer, static_cast<std::size_t>(n));
                append_limited(is_out ? result.out : result.err, chunk, options.capture_limit);
                const auto& callback = is_out ? options.on_stdout : options.on_stderr;
                if (callback)
                    callback(chunk);
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                Pipe::close_fd(is_out ? out_pipe.read : err_pipe.read);
            }
        }
    }

    int status = 0;
    bool reaped = false;
    if (options.timeout.count() > 0 && !result.timed_out) {
        // The pipes are closed but the child may still run: keep the deadline.
        auto pause = std::chrono::microseconds(100);
        while (!reaped) {
            const pid_t done = ::waitpid(pid, &status, WNOHANG);
            reaped = done == pid || (done < 0 && errno != EINTR);
            if (reaped)
                break;
            if (std::chrono::steady_clock::now() >= deadline) {
                result.timed_out = true;
                ::kill(options.new_process_group ? -pid : pid, SIGKILL);
                break;
            }
            std::this_thread::sleep_for(pause);
            pause = std::min(pause * 2, std::chrono::microseconds(10000));
        }
    }
    while (!reaped && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (WIFEXITED(status))
        result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        result.term_signal = WTERMSIG(status);
    return result;
}

std::string shell_quote(std::string_view text) {
    std::string out = "'";
    for (const char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

}  // namespace omni
