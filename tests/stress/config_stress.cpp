// Many OS processes transact on one config at once while others read it.
// Round 1: 8 writers x 100 transactions, 2 tight-loop readers.
// Round 2: the same with random writers SIGKILLed mid-run.
// Exits non-zero when an invariant breaks; prints every invariant checked.
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
#include <nlohmann/json.hpp>

#include "omni/home/config.hpp"
#include "omni/home/staging.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"

extern char** environ;

namespace stdfs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr int writers = 8;
constexpr int transactions = 100;
constexpr int readers = 2;

int failures = 0;
int passes = 0;

void check(bool ok, const std::string& what) {
    fmt::print("  [{}] {}\n", ok ? "ok" : "FAIL", what);
    std::fflush(stdout);
    if (ok)
        ++passes;
    else
        ++failures;
}

pid_t spawn(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
        std::perror("posix_spawn");
        std::exit(2);
    }
    return pid;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

int run_writer(const stdfs::path& root, int id) {
    omni::Config config(omni::Home(root), 120s);
    for (int j = 0; j < transactions; ++j) {
        try {
            config.transact([&](omni::ConfigValues& values) {
                values[fmt::format("writer{}.key{}", id, j)] = j;
                values["stress.counter"] = values.value("stress.counter", 0) + 1;
            });
        } catch (const std::exception& e) {
            fmt::print(stderr, "writer {}: {}\n", id, e.what());
            return 1;
        }
    }
    return 0;
}

// Reads until the stop file appears; exit code 0 only if every read parsed.
int run_reader(const stdfs::path& root) {
    const stdfs::path stop = root / "stop-readers";
    long reads = 0, torn = 0;
    while (!stdfs::exists(stop)) {
        try {
            const auto text = omni::fs::read_file(root / "config.json");
            if (nlohmann::json::parse(text, nullptr, false).is_discarded())
                ++torn;
            ++reads;
        } catch (const omni::Error&) {
            // Not created yet.
        }
    }
    return torn == 0 && reads > 0 ? 0 : 1;
}

std::size_t leftovers(const stdfs::path& root) {
    std::size_t n = 0;
    for (const auto& e : stdfs::directory_iterator(root))
        if (e.path().filename().string().find(".tmp.") != std::string::npos)
            ++n;
    for ([[maybe_unused]] const auto& e : stdfs::directory_iterator(root / "staging"))
        ++n;
    return n;
}

// Counts writer keys present per writer.
std::vector<int> keys_per_writer(const nlohmann::json& values) {
    std::vector<int> counts(writers, 0);
    for (int id = 0; id < writers; ++id)
        for (int j = 0; j < transactions; ++j)
            if (values.contains(fmt::format("writer{}.key{}", id, j)))
                ++counts[static_cast<std::size_t>(id)];
    return counts;
}

void round(const std::string& self, const stdfs::path& root, bool kill_some) {
    omni::Home home(root);
    home.ensure_layout();
    std::vector<pid_t> reader_pids;
    for (int r = 0; r < readers; ++r)
        reader_pids.push_back(spawn({self, "reader", root.string()}));
    std::vector<pid_t> writer_pids;
    for (int id = 0; id < writers; ++id)
        writer_pids.push_back(spawn({self, "writer", root.string(), std::to_string(id)}));

    std::vector<bool> killed(writers, false);
    if (kill_some) {
        // Kill three distinct writers once the shared counter passes random
        // marks, so each dies in the middle of its run.
        std::mt19937 rng(12345);
        omni::Config config(home);
        for (int k = 0; k < 3; ++k) {
            const int mark = static_cast<int>(rng() % 150) + 100 * (k + 1);
            const auto deadline = std::chrono::steady_clock::now() + 60s;
            while (std::chrono::steady_clock::now() < deadline) {
                try {
                    if (config.load().value("stress.counter", 0) >= mark)
                        break;
                } catch (const omni::Error&) {
                }
                std::this_thread::sleep_for(1ms);
            }
            std::size_t victim = rng() % writers;
            while (killed[victim])
                victim = (victim + 1) % writers;
            ::kill(writer_pids[victim], SIGKILL);
            killed[victim] = true;
        }
    }
    int writer_errors = 0;
    for (int id = 0; id < writers; ++id) {
        const int status = wait_for(writer_pids[static_cast<std::size_t>(id)]);
        if (status == 128 + SIGKILL)
            killed[static_cast<std::size_t>(id)] = true;
        else if (status != 0)
            ++writer_errors;
    }
    omni::fs::atomic_write(root / "stop-readers", "");
    int reader_errors = 0;
    for (pid_t pid : reader_pids)
        reader_errors += wait_for(pid) != 0;

    const auto values = omni::Config(home).load();
    const auto counts = keys_per_writer(values);
    int total_keys = 0;
    bool survivors_complete = true;
    for (int id = 0; id < writers; ++id) {
        total_keys += counts[static_cast<std::size_t>(id)];
        if (!killed[static_cast<std::size_t>(id)] &&
            counts[static_cast<std::size_t>(id)] != transactions)
            survivors_complete = false;
    }
    const int counter = values.value("stress.counter", -1);
    int killed_count = 0;
    for (bool k : killed)
        killed_count += k;
    if (kill_some)
        check(killed_count == 3 && total_keys > 0 && total_keys < writers * transactions,
              fmt::format("3 writers died mid-run ({} of {} transactions committed)", total_keys,
                          writers * transactions));

    check(writer_errors == 0,
          fmt::format("no lock or write error escaped a writer ({} errors)", writer_errors));
    check(reader_errors == 0, "every concurrent read parsed as valid JSON");
    check(survivors_complete,
          fmt::format("every surviving writer's {} keys are present ({} writers killed)",
                      transactions, killed_count));
    check(counter == total_keys,
          fmt::format("counter == committed transactions ({} == {})", counter, total_keys));
    if (!kill_some)
        check(counter == writers * transactions,
              fmt::format("no lost update: counter == {}", writers * transactions));
    check(omni::FileLock::acquire(home.lock_file("config"), omni::LockMode::exclusive, 2s).path() ==
              home.lock_file("config"),
          "the config lock can be taken again");
    // What the next command does on start: clear what dead processes left.
    omni::remove_stale_staging(home);
    omni::remove_stale_temp_files(root);
    check(leftovers(root) == 0, "no temp or staging files left");
    stdfs::remove(root / "stop-readers");
}

}  // namespace

int main(int argc, char** argv) {
    const std::string self = stdfs::canonical("/proc/self/exe").string();
    if (argc >= 4 && std::string(argv[1]) == "writer")
        return run_writer(argv[2], std::stoi(argv[3]));
    if (argc >= 3 && std::string(argv[1]) == "reader")
        return run_reader(argv[2]);

    std::string pattern = (stdfs::temp_directory_path() / "omni-stress-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
        return 2;
    const stdfs::path base = pattern;

    fmt::print("round 1: {} writers x {} transactions, {} readers\n", writers, transactions,
               readers);
    std::fflush(stdout);
    round(self, base / "home1", false);
    fmt::print("round 2: the same, with writers SIGKILLed mid-transaction\n");
    std::fflush(stdout);
    round(self, base / "home2", true);

    omni::fs::remove_tree(base);
    fmt::print("invariants: {} passed, {} failed\n", passes, failures);
    return failures == 0 ? 0 : 1;
}
