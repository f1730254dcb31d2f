// SIGKILL at random moments while omni changes an env: a many-file install,
// an uninstall, an upgrade that replaces a version (--main) and --reinstall,
// at least 50 trials each (OMNI_CRASH_TRIALS sets another number). After
// each kill and the next omni command, the env holds the old or the new
// version whole (every RECORD hash right, no stray file of the other version,
// the import reports the dist-info's version), no dist-info without RECORD,
// nothing in the env's transaction directory. The outcomes are counted.
#include <random>
#include <thread>

#include "stress/env_support.hpp"

using namespace env_stress;

namespace {

struct Tally {
    int trials = 0, old_state = 0, new_state = 0, broken = 0;
    int rolled_back = 0, rolled_forward = 0, finished_before_kill = 0;
};

std::string installed_version(const nlohmann::json& v) {
    if (v.contains("dists") && v["dists"].contains("crash-many"))
        return v["dists"]["crash-many"].get<std::string>();
    return "";
}

double seconds_of(const std::function<void()>& run) {
    const auto start = std::chrono::steady_clock::now();
    run();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class Trials {
  public:
    Trials(stdfs::path home, stdfs::path env) : home_(std::move(home)), env_(std::move(env)) {}

    // One trial: `args` killed after a random part of `duration`, then the
    // next command, then the oracle. Returns the version found afterwards.
    std::string trial(Tally& tally, const std::vector<std::string>& args, double duration,
                      const std::string& before, const std::string& after) {
        const auto history_before = history_count(env_);
        const pid_t pid = spawn_omni(home_, args);
        std::uniform_real_distribution<double> when(0.4 * duration, 1.1 * duration);
        std::this_thread::sleep_for(std::chrono::duration<double>(when(rng_)));
        const bool finished = ::waitpid(pid, nullptr, WNOHANG) == pid;
        if (!finished) {
            ::kill(-pid, SIGKILL);
            wait_exit(pid);
        } else {
            ++tally.finished_before_kill;
        }
        const auto next = omni_run(home_, {"--no-index", "-v", "list"});
        if (next.err.find("undoing the change") != std::string::npos)
            ++tally.rolled_back;
        if (next.err.find("finishing the change") != std::string::npos)
            ++tally.rolled_forward;
        const auto v = check_env(env_, {"crash-many"});
        const auto version = installed_version(v);
        std::string problems = whole_problems(v) + leftovers(env_);
        if (!next.ok())
            problems += " the next command failed: " + next.err.substr(0, 300);
        const bool changed = history_count(env_) != history_before;
        ++tally.trials;
        if (!problems.empty() || (version != before && version != after)) {
            ++tally.broken;
            fmt::print("    trial {}: broken: version '{}'{}\n", tally.trials, version, problems);
        } else if (before == after ? changed : version == after) {
            ++tally.new_state;
        } else {
            ++tally.old_state;
        }
        return version;
    }

    std::mt19937 rng_{20260};

  private:
    stdfs::path home_, env_;
};

void report(const std::string& label, const Tally& t, int wanted) {
    fmt::print(
        "  {}: {} trials: {} old whole, {} new whole, {} broken; recovery rolled back {}, "
        "forward {}; {} finished before the kill\n",
        label, t.trials, t.old_state, t.new_state, t.broken, t.rolled_back, t.rolled_forward,
        t.finished_before_kill);
    check(t.trials >= wanted && t.broken == 0,
          fmt::format("{}: every one of {} kills left the old or the new version whole", label,
                      t.trials));
}

}  // namespace

int main() {
    int wanted = 50;
    if (const char* n = std::getenv("OMNI_CRASH_TRIALS"))
        wanted = std::max(1, std::atoi(n));
    std::string pattern = (stdfs::temp_directory_path() / "omni-env-crash-XXXXXX").string();
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
    Trials trials(home, env);
    const std::vector<std::string> install{"--no-index", "install", "crash-many==1.0"};
    const std::vector<std::string> uninstall{"--no-index", "uninstall", "crash-many"};
    // Warm the cache with both versions, and time each command uninterrupted.
    omni_run(home, {"--no-index", "install", "crash-many==2.0"});
    omni_run(home, {"--no-index", "install", "--main", "crash-many==1.0"});
    const double t_uninstall = seconds_of([&] { omni_run(home, uninstall); });
    const double t_install = seconds_of([&] { omni_run(home, install); });
    const double t_upgrade = seconds_of([&] {
        omni_run(home, {"--no-index", "install", "--main", "crash-many==2.0"});
    });
    const double t_reinstall = seconds_of([&] {
        omni_run(home, {"--no-index", "install", "--reinstall", "crash-many==2.0"});
    });
    omni_run(home, {"--no-index", "install", "--main", "crash-many==1.0"});
    fmt::print(
        "uninterrupted: install {:.0f} ms, uninstall {:.0f} ms, upgrade {:.0f} ms, "
        "reinstall {:.0f} ms (240 files)\n",
        t_install * 1e3, t_uninstall * 1e3, t_upgrade * 1e3, t_reinstall * 1e3);

    fmt::print("SIGKILL during install and uninstall\n");
    Tally ins, unins;
    omni_run(home, uninstall);
    std::string version;
    for (int guard = 0; (ins.trials < wanted || unins.trials < wanted) && guard < 6 * wanted;
         ++guard) {
        if (version.empty())
            version = trials.trial(ins, install, t_install, "", "1.0");
        else
            version = trials.trial(unins, uninstall, t_uninstall, "1.0", "");
    }
    report("install (240 files)", ins, wanted);
    report("uninstall", unins, wanted);

    fmt::print("SIGKILL during an upgrade that replaces the installed version (--main)\n");
    Tally up;
    if (version.empty())
        omni_run(home, install);
    version = "1.0";
    for (int i = 0; i < wanted; ++i) {
        const std::string to = version == "1.0" ? "2.0" : "1.0";
        const auto found = trials.trial(
            up, {"--no-index", "install", "--main", "crash-many==" + to}, t_upgrade, version, to);
        if (!found.empty())
            version = found;
    }
    report("--main upgrade/downgrade", up, wanted);

    fmt::print("SIGKILL during --reinstall\n");
    Tally re;
    for (int i = 0; i < wanted; ++i)
        trials.trial(re, {"--no-index", "install", "--reinstall", "crash-many==" + version},
                     t_reinstall, version, version);
    report("--reinstall", re, wanted);

    omni::fs::remove_tree(base);
    fmt::print("invariants: {} passed, {} failed\n", passes, failures);
    return failures == 0 ? 0 : 1;
}
