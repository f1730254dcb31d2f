// SIGKILL at random moments while `omni revert --last` runs: each revert
// undoes the newest change, so the env goes back and forth between two
// versions of a 240-file package, from the cache with --offline. After each
// kill and the next omni command, the env holds the old or the new version
// whole (every RECORD hash right, no stray file of the other, the import
// reports the dist-info's version), nothing is left of the transaction, and
// the history agrees with the env: its newest record added the version that
// is installed, and it has one record more exactly when the version changed.
// At least 30 trials (OMNI_CRASH_TRIALS sets another number).
#include <random>
#include <thread>

#include "stress/env_support.hpp"

using namespace env_stress;

namespace {

std::string installed_version(const nlohmann::json& v) {
    if (v.contains("dists") && v["dists"].contains("crash-many"))
        return v["dists"]["crash-many"].get<std::string>();
    return "";
}

// The version of crash-many the newest history record added.
std::string newest_recorded(const stdfs::path& home) {
    const auto r = omni_run(home, {"history", "--format", "json"});
    if (!r.ok())
        return "history failed: " + r.err;
    const auto records = nlohmann::json::parse(r.out);
    if (records.empty())
        return "";
    for (const auto& d : records.back()["added"])
        if (d["name"] == "crash-many")
            return d["version"].get<std::string>();
    return "";
}

double seconds_of(const std::vector<std::string>& args, const stdfs::path& home) {
    const auto start = std::chrono::steady_clock::now();
    omni_run(home, args);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main() {
    int wanted = 30;
    if (const char* n = std::getenv("OMNI_CRASH_TRIALS"))
        wanted = std::max(1, std::atoi(n));
    std::string pattern = (stdfs::temp_directory_path() / "omni-revert-crash-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        return 2;
    const stdfs::path base = pattern;
    const auto links = base / "links";
    if (!make_links(links, R"({"packages": [
            {"name": "crash-many", "version": "1.0", "modules": 120},
            {"name": "crash-many", "version": "2.0", "modules": 120}]})"))
        return 2;
    const auto home = make_home(base / "home", links);
    if (home.empty()) {
        fmt::print("SKIPPED: Python 3.11 is not available\n");
        omni::fs::remove_tree(base);
        return on_ci() ? 1 : 77;
    }
    const auto env = main_env(home);
    omni_run(home, {"--no-index", "install", "crash-many==1.0"});
    omni_run(home, {"--no-index", "install", "--main", "crash-many==2.0"});
    const std::vector<std::string> revert{"--offline", "revert", "--last"};
    // Uninterrupted, the fastest of three (the machine may be busy); each
    // run turns the version over.
    double duration = 1e9;
    for (int i = 0; i < 3; ++i)
        duration = std::min(duration, seconds_of(revert, home));
    std::string version = installed_version(check_env(env, {"crash-many"}));
    fmt::print("uninterrupted revert: {:.0f} ms (240 files); now at {}\n", duration * 1e3, version);
    check(version == "1.0" || version == "2.0", "the reverts went back and forth");

    std::mt19937 rng{20261};
    double scale = duration;
    int trials = 0, old_whole = 0, new_whole = 0, broken = 0, finished = 0, rolled_back = 0,
        rolled_forward = 0;
    for (int guard = 0; trials < wanted && guard < 6 * wanted; ++guard) {
        const std::string before = version, after = version == "1.0" ? "2.0" : "1.0";
        const auto history_before = history_count(env);
        const pid_t pid = spawn_omni(home, revert);
        std::uniform_real_distribution<double> when(0.3 * scale, 1.1 * scale);
        std::this_thread::sleep_for(std::chrono::duration<double>(when(rng)));
        const bool done = ::waitpid(pid, nullptr, WNOHANG) == pid;
        if (!done) {
            ::kill(-pid, SIGKILL);
            wait_exit(pid);
        }
        const auto next = omni_run(home, {"--no-index", "-v", "list"});
        const bool back = next.err.find("undoing the change") != std::string::npos;
        const bool forward = next.err.find("finishing the change") != std::string::npos;
        const auto v = check_env(env, {"crash-many"});
        const auto found = installed_version(v);
        const auto changed = history_count(env) != history_before;
        std::string problems = whole_problems(v) + leftovers(env);
        if (!next.ok())
            problems += " the next command failed: " + next.err.substr(0, 300);
        if (found != before && found != after)
            problems += " version '" + found + "'";
        if (changed != (found == after))
            problems += fmt::format(" {} history records for version {}",
                                    history_count(env) - history_before, found);
        if (newest_recorded(home) != found)
            problems += " the newest record added " + newest_recorded(home);
        if (!done && !changed && !back && !forward) {
            scale *= 1.15;  // killed before it reached the env: not a trial
            if (problems.empty())
                continue;
        }
        ++trials;
        finished += done;
        rolled_back += back;
        rolled_forward += forward;
        if (done)
            scale *= 0.85;
        if (!problems.empty()) {
            ++broken;
            fmt::print("    trial {}: broken:{}\n", trials, problems);
        } else {
            (found == after ? new_whole : old_whole)++;
        }
        if (!found.empty())
            version = found;
    }
    fmt::print(
        "  revert --last: {} trials: {} old whole, {} new whole, {} broken; recovery rolled back "
        "{}, forward {}; {} finished before the kill\n",
        trials, old_whole, new_whole, broken, rolled_back, rolled_forward, finished);
    check(trials >= wanted && broken == 0,
          fmt::format("every one of {} kills of a revert left the old or the new version whole, "
                      "and the history agreeing",
                      trials));
    omni::fs::remove_tree(base);
    fmt::print("invariants: {} passed, {} failed\n", passes, failures);
    return failures == 0 ? 0 : 1;
}
