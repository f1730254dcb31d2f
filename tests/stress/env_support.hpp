#pragma once
// Helpers of the env stress tests: omni as a child process, a find-links
// directory of generated wheels, and tests/fixtures/check_env.py run with the
// env's own interpreter as the oracle of what the env holds.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"

extern char** environ;

namespace env_stress {

namespace stdfs = std::filesystem;
using namespace std::chrono_literals;

inline int passes = 0, failures = 0;
inline void check(bool ok, const std::string& what) {
    fmt::print("  [{}] {}\n", ok ? "ok" : "FAIL", what);
    std::fflush(stdout);
    (ok ? passes : failures)++;
}

inline bool on_ci() {
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

inline omni::ProcessResult omni_run(const stdfs::path& home, std::vector<std::string> args) {
    omni::ProcessOptions o;
    o.argv = {OMNI_BINARY};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    o.env["OMNI_HOME"] = home.string();
    o.env["VIRTUAL_ENV"] = "";
    o.timeout = 120s;
    return omni::run_process(o);
}

// Starts omni with `args` in its own process group; returns its pid.
inline pid_t spawn_omni(const stdfs::path& home, const std::vector<std::string>& args) {
    std::vector<std::string> strings{OMNI_BINARY};
    strings.insert(strings.end(), args.begin(), args.end());
    std::vector<std::string> env_strings{"OMNI_HOME=" + home.string()};
    for (char** e = environ; *e; ++e)
        if (!std::string(*e).starts_with("OMNI_HOME=") &&
            !std::string(*e).starts_with("VIRTUAL_ENV="))
            env_strings.emplace_back(*e);
    std::vector<char*> argv, envp;
    for (auto& s : strings)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    for (auto& s : env_strings)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid = 0;
    if (posix_spawn(&pid, OMNI_BINARY, &actions, &attr, argv.data(), envp.data()) != 0)
        pid = -1;
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    return pid;
}

inline int wait_exit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A find-links directory built by make_index.py from a spec.
inline bool make_links(const stdfs::path& dir, const std::string& spec_json) {
    omni::ProcessOptions make;
    make.argv = {"python3", OMNI_FIXTURES_DIR "/make_index.py",
                 "--root",  dir.string(),
                 "--flat",  "--spec-json",
                 spec_json};
    return omni::run_process(make).ok();
}

// A home whose main env is Python 3.11, with `links` as its find-links.
inline stdfs::path make_home(const stdfs::path& home, const stdfs::path& links) {
    if (!omni_run(home, {"swap", "python", "3.11"}).ok())
        return {};
    omni_run(home, {"config", "set", "index.find-links", "[\"" + links.string() + "\"]"});
    return home;
}

inline stdfs::path main_env(const stdfs::path& home) {
    std::error_code ec;
    for (const auto& e : stdfs::directory_iterator(home / "envs", ec))
        return e.path();
    return {};
}

inline stdfs::path site_of(const stdfs::path& env) {
    return env / "lib" / "python3.11" / "site-packages";
}

// check_env.py's verdict on the env (see that script).
inline nlohmann::json check_env(const stdfs::path& env, const std::vector<std::string>& names) {
    omni::ProcessOptions o;
    o.argv = {(env / "bin" / "python").string(), OMNI_FIXTURES_DIR "/check_env.py",
              site_of(env).string()};
    o.argv.insert(o.argv.end(), names.begin(), names.end());
    o.timeout = 60s;
    const auto r = omni::run_process(o);
    if (!r.ok())
        return {{"error", r.err}};
    return nlohmann::json::parse(r.out);
}

// Whether check_env found the env whole: no phantom, no bad RECORD row, no
// stray file, every named import reporting its dist-info's version.
inline std::string whole_problems(const nlohmann::json& v) {
    if (v.contains("error"))
        return "check_env failed: " + v["error"].get<std::string>();
    std::string out;
    if (!v["phantoms"].empty())
        out += " phantoms " + v["phantoms"].dump();
    if (!v["bad"].empty())
        out += " bad " + v["bad"].dump().substr(0, 300);
    for (const auto& [name, strays] : v["strays"].items())
        if (!strays.empty())
            out += " strays of " + name + " " + strays.dump().substr(0, 300);
    for (const auto& [name, version] : v["imports"].items())
        if (!v["dists"].contains(name) || v["dists"][name] != version)
            out += " import of " + name + " gives " + version.dump();
    return out;
}

// Nothing of a transaction is left in the env's state directory.
inline std::string leftovers(const stdfs::path& env) {
    std::string out;
    std::error_code ec;
    if (stdfs::exists(env / ".omni" / "journal.json", ec))
        out += " journal.json";
    for (const auto& e : stdfs::directory_iterator(env / ".omni" / "txn", ec))
        out += " txn/" + e.path().filename().string();
    return out;
}

inline std::size_t history_count(const stdfs::path& env) {
    std::size_t n = 0;
    std::error_code ec;
    for (const auto& e : stdfs::directory_iterator(env / ".omni" / "history", ec))
        n += e.path().extension() == ".json" ? 1u : 0u;
    return n;
}

}  // namespace env_stress
