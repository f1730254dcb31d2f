// Six omni processes build overlapping bubbles on one home at once; then
// the same with workers SIGKILLed mid-install. Every bubble is built exactly
// once (counted from each process's log), every bubble at its final path is
// complete, and nothing stays in staging after the next command.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"

extern char** environ;
namespace stdfs = std::filesystem;
using namespace std::chrono_literals;

namespace {

int passes = 0, failures = 0;
void check(bool ok, const std::string& what) {
    fmt::print("  [{}] {}\n", ok ? "ok" : "FAIL", what);
    std::fflush(stdout);
    (ok ? passes : failures)++;
}

const std::vector<std::string> requirements{"stress-a==1.0", "stress-a==2.0", "stress-b==1.0",
                                            "stress-b==2.0", "stress-c==1.0", "stress-a==3.0"};

omni::ProcessResult omni_run(const stdfs::path& home, std::vector<std::string> args) {
    omni::ProcessOptions o;
    o.argv = {OMNI_BINARY};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    o.env["OMNI_HOME"] = home.string();
    o.timeout = 120s;
    return omni::run_process(o);
}

// One worker: a shell running `omni bubble ensure` for every requirement, in
// its own order, logging to its own file. Its own process group, so a kill
// takes the omni child with it.
pid_t spawn_worker(const stdfs::path& home, int id, const stdfs::path& log) {
    std::vector<std::string> order = requirements;
    std::rotate(order.begin(), order.begin() + id % static_cast<int>(order.size()), order.end());
    std::string script;
    for (const auto& r : order)
        script +=
            fmt::format("'{}' --no-index -v --log-file '{}' bubble ensure '{}' >/dev/null 2>&1; ",
                        OMNI_BINARY, log.string(), r);
    const std::string home_var = "OMNI_HOME=" + home.string();
    std::vector<std::string> env_strings{home_var};
    for (char** e = environ; *e; ++e)
        if (!std::string(*e).starts_with("OMNI_HOME="))
            env_strings.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& s : env_strings)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string sh = "/bin/sh", c = "-c";
    char* argv[] = {sh.data(), c.data(), script.data(), nullptr};
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid = 0;
    posix_spawn(&pid, "/bin/sh", nullptr, &attr, argv, envp.data());
    posix_spawnattr_destroy(&attr);
    return pid;
}

std::size_t count_in(const stdfs::path& file, const std::string& needle) {
    std::error_code ec;
    if (!stdfs::exists(file, ec))
        return 0;
    const auto text = omni::fs::read_file(file);
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
        ++n;
    return n;
}

stdfs::path make_home(const stdfs::path& base, const std::string& name, const stdfs::path& links) {
    const auto home = base / name;
    if (!omni_run(home, {"swap", "python", "3.11"}).ok())
        return {};
    omni_run(home, {"config", "set", "index.find-links", "[\"" + links.string() + "\"]"});
    return home;
}

void check_complete(const stdfs::path& home, std::size_t expected) {
    std::size_t complete = 0, partial = 0;
    std::error_code ec;
    for (const auto& dir : stdfs::directory_iterator(home / "bubbles" / "cpython-3.11", ec))
        (stdfs::exists(dir.path() / "bubble.json") ? complete : partial)++;
    check(partial == 0, fmt::format("no partial bubble is visible ({} complete)", complete));
    if (expected)
        check(complete == expected,
              fmt::format("every bubble exists ({} of {})", complete, expected));
}

}  // namespace

int main() {
    std::string pattern = (stdfs::temp_directory_path() / "omni-bubble-stress-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        return 2;
    const stdfs::path base = pattern;
    const auto links = base / "links";
    omni::ProcessOptions make;
    make.argv = {"python3",        OMNI_FIXTURES_DIR "/make_index.py",
                 "--root",         links.string(),
                 "--flat",         "--spec-json",
                 R"({"packages": [
        {"name": "stress-a", "version": "1.0", "requires": ["stress-core>=1"]},
        {"name": "stress-a", "version": "2.0", "requires": ["stress-core>=1"]},
        {"name": "stress-a", "version": "3.0", "requires": ["stress-core>=1"]},
        {"name": "stress-b", "version": "1.0", "requires": ["stress-core>=1"]},
        {"name": "stress-b", "version": "2.0"}, {"name": "stress-c", "version": "1.0"},
        {"name": "stress-core", "version": "1.0", "padding": 200000}]})"};
    if (!omni::run_process(make).ok())
        return 2;

    fmt::print("round 1: 6 processes ensure 6 overlapping bubbles at once\n");
    const auto home1 = make_home(base, "home1", links);
    if (home1.empty()) {
        fmt::print("SKIPPED: Python 3.11 is not available\n");
        omni::fs::remove_tree(base);
        return std::getenv("CI") && std::string(std::getenv("CI")) == "true" ? 1 : 77;
    }
    std::vector<pid_t> workers;
    for (int i = 0; i < 6; ++i)
        workers.push_back(spawn_worker(home1, i, base / fmt::format("log1-{}.txt", i)));
    for (auto pid : workers) {
        int status = 0;
        waitpid(pid, &status, 0);
    }
    std::size_t built = 0;
    for (int i = 0; i < 6; ++i)
        built += count_in(base / fmt::format("log1-{}.txt", i), " built");
    check(built == requirements.size(),
          fmt::format("each bubble was built exactly once ({} builds for {} bubbles)", built,
                      requirements.size()));
    check_complete(home1, requirements.size());
    check(stdfs::is_empty(home1 / "staging"), "no staging leftovers");
    const auto probe =
        omni_run(home1, {"--no-index", "exec", "--with", "stress-a==2.0", "--", "python", "-c",
                         "import stress_a, stress_core; print(stress_a.__version__)"});
    check(probe.ok() && probe.out == "2.0\n",
          "a bubble built in the race imports and reports its version");

    fmt::print("round 2: the same, with workers SIGKILLed mid-install\n");
    const auto home2 = make_home(base, "home2", links);
    workers.clear();
    for (int i = 0; i < 6; ++i)
        workers.push_back(spawn_worker(home2, i, base / fmt::format("log2-{}.txt", i)));
    std::mt19937 rng(7);
    for (int k = 0; k < 3; ++k) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 120));
        ::kill(-workers[static_cast<std::size_t>(k * 2)], SIGKILL);
    }
    for (auto pid : workers) {
        int status = 0;
        waitpid(pid, &status, 0);
    }
    check_complete(home2, 0);
    // The next command clears what the dead left behind.
    check(omni_run(home2, {"bubble", "list"}).ok(), "the next command runs");
    std::string left;
    for (const auto& e : stdfs::directory_iterator(home2 / "staging"))
        left += " " + e.path().filename().string();
    check(left.empty(), "the next command removed the dead workers' staging" +
                            (left.empty() ? "" : ": left" + left));
    for (const auto& r : requirements)
        omni_run(home2, {"--no-index", "bubble", "ensure", r});
    check_complete(home2, requirements.size());

    omni::fs::remove_tree(base);
    fmt::print("invariants: {} passed, {} failed\n", passes, failures);
    return failures == 0 ? 0 : 1;
}
