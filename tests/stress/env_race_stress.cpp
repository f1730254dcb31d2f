// omni processes changing one env at once, as users start them: eight
// installing the same new version, eight installing different packages that
// share a new dependency, three installing three versions of one package
// (one lands in the main env, two in bubbles), and two homes installing into
// one venv. Every process exits 0, every package is present, every RECORD
// hash is right, and nothing of a transaction is left behind.
#include <set>
#include <thread>

#include "stress/env_support.hpp"

using namespace env_stress;

namespace {

std::vector<int> race(const stdfs::path& home, const std::vector<std::vector<std::string>>& runs,
                      const std::vector<stdfs::path>& homes = {}) {
    std::vector<pid_t> pids;
    for (std::size_t i = 0; i < runs.size(); ++i)
        pids.push_back(spawn_omni(homes.empty() ? home : homes[i % homes.size()], runs[i]));
    std::vector<int> codes;
    for (auto pid : pids)
        codes.push_back(wait_exit(pid));
    return codes;
}

bool all_zero(const std::vector<int>& codes) {
    return std::all_of(codes.begin(), codes.end(), [](int c) { return c == 0; });
}

std::string codes_text(const std::vector<int>& codes) {
    std::string out;
    for (auto c : codes)
        out += fmt::format("{} ", c);
    return out;
}

void check_whole(const stdfs::path& env, const std::vector<std::string>& names,
                 const std::string& label) {
    const auto v = check_env(env, names);
    const auto problems = whole_problems(v);
    check(problems.empty(), label + ": every RECORD hash right, imports match" +
                                (problems.empty() ? "" : ":" + problems));
    std::string missing;
    for (const auto& n : names)
        if (!v.contains("dists") || !v["dists"].contains(n))
            missing += " " + n;
    check(missing.empty(),
          label + ": every package present" + (missing.empty() ? "" : ", missing:" + missing));
    const auto left = leftovers(env);
    check(left.empty(), label + ": no journal or staging left" + left);
}

}  // namespace

int main() {
    std::string pattern = (stdfs::temp_directory_path() / "omni-env-race-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        return 2;
    const stdfs::path base = pattern;
    const auto links = base / "links";
    std::string spec = R"({"packages": [
        {"name": "race-same", "version": "1.0", "modules": 40},
        {"name": "race-shared", "version": "1.0", "modules": 40},
        {"name": "race-multi", "version": "1.0"}, {"name": "race-multi", "version": "2.0"},
        {"name": "race-multi", "version": "3.0"}, {"name": "race-venv", "version": "1.0"})";
    for (int i = 0; i < 8; ++i)
        spec += fmt::format(R"(, {{"name": "race-user{}", "version": "1.0",
            "requires": ["race-shared>=1"]}})",
                            i);
    for (int i = 0; i < 4; ++i)
        spec += fmt::format(R"(, {{"name": "race-clean{}", "version": "1.0", "modules": 20}})", i);
    spec += "]}";
    if (!make_links(links, spec))
        return 2;
    const auto home = make_home(base / "home", links);
    if (home.empty()) {
        fmt::print("SKIPPED: Python 3.11 is not available\n");
        omni::fs::remove_tree(base);
        return on_ci() ? 1 : 77;
    }
    const auto env = main_env(home);

    fmt::print("round 1: 8 processes install the same new version\n");
    auto codes = race(home, std::vector<std::vector<std::string>>(
                                8, {"--no-index", "install", "race-same==1.0"}));
    check(all_zero(codes), "all 8 exit 0: " + codes_text(codes));
    check_whole(env, {"race-same"}, "race-same");
    check(history_count(env) == 1,
          fmt::format("one of them installed it, the others found it installed ({} changes)",
                      history_count(env)));

    fmt::print("round 2: 8 processes install 8 packages sharing a new dependency\n");
    std::vector<std::vector<std::string>> runs;
    std::vector<std::string> users;
    for (int i = 0; i < 8; ++i) {
        users.push_back(fmt::format("race-user{}", i));
        runs.push_back({"--no-index", "install", users.back()});
    }
    codes = race(home, runs);
    check(all_zero(codes), "all 8 exit 0: " + codes_text(codes));
    users.push_back("race-shared");
    check_whole(env, users, "8 users + race-shared");

    fmt::print("round 3: 3 processes install 3 versions of one package\n");
    codes = race(home, {{"--no-index", "install", "race-multi==1.0"},
                        {"--no-index", "install", "race-multi==2.0"},
                        {"--no-index", "install", "race-multi==3.0"}});
    check(all_zero(codes), "all 3 exit 0: " + codes_text(codes));
    check_whole(env, {"race-multi"}, "race-multi in the main env");
    std::set<std::string> seen;
    for (const auto* v : {"1.0", "2.0", "3.0"}) {
        const auto r =
            omni_run(home, {"--no-index", "exec", "--with", std::string("race-multi==") + v, "--",
                            "python", "-c", "import race_multi; print(race_multi.__version__)"});
        if (r.ok())
            seen.insert(r.out.substr(0, r.out.find('\n')));
    }
    check(seen.size() == 3,
          fmt::format("each version runs: {} of 3 (main env or bubble)", seen.size()));
    const auto listed = omni_run(home, {"bubble", "list"});
    std::size_t bubbles = 0;
    for (auto pos = listed.out.find("race-multi"); pos != std::string::npos;
         pos = listed.out.find("race-multi", pos + 1))
        ++bubbles;
    check(bubbles >= 2,
          fmt::format("the two that did not land in the main env are bubbles ({})", bubbles));

    fmt::print("round 4: two homes install into one venv\n");
    const auto home2 = make_home(base / "home2", links);
    const auto venv = main_env(home2);  // home2's main env is the venv both target
    codes = race(home,
                 {{"--no-index", "--env", venv.string(), "install", "race-venv"},
                  {"--no-index", "--env", venv.string(), "install", "race-venv"},
                  {"--no-index", "--env", venv.string(), "install", "race-same"},
                  {"--no-index", "--env", venv.string(), "install", "race-same"}},
                 {home, home2});
    check(all_zero(codes), "all 4 exit 0: " + codes_text(codes));
    check_whole(venv, {"race-venv", "race-same"}, "the shared venv");
    check(history_count(venv) == 2,
          fmt::format("each package was installed once ({} changes)", history_count(venv)));

    fmt::print("round 5: cache clean in a loop beside installs\n");
    const pid_t cleaner = spawn_omni(
        home, {"--no-index", "exec", "--", "sh", "-c",
               fmt::format("for i in 1 2 3 4 5 6 7 8 9 10; do '{}' cache clean || exit 1; done",
                           OMNI_BINARY)});
    runs.clear();
    std::vector<std::string> cleaned;
    for (int i = 0; i < 4; ++i) {
        cleaned.push_back(fmt::format("race-clean{}", i));
        runs.push_back({"--no-index", "install", cleaned.back()});
    }
    codes = race(home, runs);
    const int cleaner_code = wait_exit(cleaner);
    check(all_zero(codes), "all 4 installs exit 0: " + codes_text(codes));
    check(cleaner_code == 0, fmt::format("all 10 cache cleans exit 0 ({})", cleaner_code));
    check_whole(env, cleaned, "installed beside cache clean");

    fmt::print("round 6: bubble remove beside a running exec of that bubble\n");
    const auto marker = base / "exec-running";
    // Round 3 put one of the versions in the main env (whichever won the
    // race); exec uses that copy as it is, so take one that is in a bubble.
    std::string in_bubble = "1.0";
    for (const std::string v : {"1.0", "2.0", "3.0"}) {
        bool found = false;
        std::error_code ec;
        for (const auto& key : stdfs::directory_iterator(home / "bubbles", ec))
            found = found || stdfs::exists(key.path() / ("race-multi-" + v), ec);
        if (found) {
            in_bubble = v;
            break;
        }
    }
    const std::string pin = "race-multi==" + in_bubble;
    const pid_t user = spawn_omni(
        home, {"--no-index", "exec", "--with", pin, "--", "python", "-c",
               "import time, sys; open(sys.argv[1], 'w').close(); time.sleep(2); "
               "import race_multi; sys.exit(0 if race_multi.__version__ == sys.argv[2] else 3)",
               marker.string(), in_bubble});
    for (int i = 0; i < 600 && !stdfs::exists(marker); ++i)
        std::this_thread::sleep_for(50ms);
    const auto during = omni_run(home, {"bubble", "remove", pin});
    const bool refused = !during.ok() && during.err.find("in use") != std::string::npos;
    const int user_code = wait_exit(user);
    check(user_code == 0, fmt::format("the running program kept its bubble (exit {})", user_code));
    check(refused, "bubble remove was refused while the program ran");
    const auto after = omni_run(home, {"bubble", "remove", pin});
    check(after.ok(), "bubble remove succeeds once the program ended" +
                          (after.ok() ? std::string() : ": " + after.err));

    omni::fs::remove_tree(base);
    fmt::print("invariants: {} passed, {} failed\n", passes, failures);
    return failures == 0 ? 0 : 1;
}
