// Demo 6: several omni processes race on one scratch home, each swapping the
// active interpreter, building bubbles and writing config, while a watcher
// reads config.json and the shims throughout. The invariants are then
// checked from evidence: the final config, the watcher's observations, the
// bubbles on disk and the build lines in every process's log.
#include <atomic>
#include <map>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "demo/demo_common.hpp"
#include "omni/home/config.hpp"
#include "omni/home/staging.hpp"
#include "omni/python/main_env.hpp"
#include "omni/python/shims.hpp"
#include "omni/python/swap.hpp"
#include "omni/util/fs.hpp"

namespace omni::demo {

namespace stdfs = std::filesystem;

namespace {

constexpr std::size_t workers = 4;
constexpr std::size_t rounds = 5;

struct WorkerLog {
    std::size_t commands = 0;
    std::size_t failures = 0;
    std::string first_failure;
    double seconds = 0;
};

struct Watch {
    std::atomic<std::size_t> observations{0};
    std::atomic<std::size_t> torn{0};
    std::string first_torn;  // written by the watcher thread only
};

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

// Reads what a user's shell would read mid-race: config.json must parse and
// bin/python must run a main env that exists.
void watch(const Home& home, const std::atomic<bool>& running, Watch& seen) {
    while (running) {
        std::string problem;
        std::error_code ec;
        if (stdfs::exists(home.config_file(), ec)) {
            if (!nlohmann::json::accept(fs::read_file(home.config_file())))
                problem = "config.json did not parse";
        }
        const auto env = python::shim_target(home);
        if (problem.empty() && !env.empty() && !stdfs::exists(env / "bin" / "python", ec))
            problem = fmt::format("bin/python runs {}, which does not exist", env.string());
        if (!problem.empty() && seen.torn++ == 0)
            seen.first_torn = problem;
        ++seen.observations;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

}  // namespace

DemoResult run_stress(DemoContext& context) {
    DemoResult result;
    const auto interpreters = pick_interpreters(context, {"3.11", "3.12", "3.10"}, 3);
    auto scratch = StagingDir::create(context.home, "demo-stress");
    const Home home(scratch.path() / "home");
    home.ensure_layout();
    context.say(fmt::format("a scratch home at {}: the demo never touches your own choice",
                            home.root().string()));

    const auto omni = [&](const std::vector<std::string>& args, const stdfs::path& log) {
        ProcessOptions options;
        options.argv = {context.executable.string(), "--log-file", log.string()};
        options.argv.insert(options.argv.end(), context.source_args.begin(),
                            context.source_args.end());
        options.argv.insert(options.argv.end(), args.begin(), args.end());
        options.env["OMNI_HOME"] = home.root().string();
        options.timeout = std::chrono::seconds(120);
        return run_process(options);
    };
    const auto warm = omni({"python", "list"}, scratch.path() / "warm.log");
    if (!warm.ok()) {
        result.failure = "omni python list failed in the scratch home: " + warm.err;
        return result;
    }

    context.say(fmt::format(
        "{} omni processes at a time: each of {} workers runs {} rounds of swap python, "
        "bubble ensure {}, config set",
        workers, workers, rounds, context.subject.name));
    std::vector<WorkerLog> logs(workers);
    std::atomic<bool> running{true};
    Watch seen;
    const auto start = Clock::now();
    std::thread watcher([&] { watch(home, running, seen); });
    std::vector<std::thread> threads;
    for (std::size_t w = 0; w < workers; ++w)
        threads.emplace_back([&, w] {
            auto& log = logs[w];
            const auto file = scratch.path() / fmt::format("worker-{}.log", w + 1);
            const auto t = Clock::now();
            for (std::size_t i = 0; i < rounds; ++i) {
                const auto& interpreter = interpreters[(w + i) % interpreters.size()];
                const auto requirement =
                    context.subject.requirement((w + i) % context.subject.versions.size());
                for (const auto& args : std::vector<std::vector<std::string>>{
                         {"swap", "python", interpreter.path.string()},
                         {"bubble", "ensure", requirement},
                         {"config", "set", fmt::format("demo.worker-{}", w + 1),
                          std::to_string(i)}}) {
                    const auto r = omni(args, file);
                    ++log.commands;
                    if (!r.ok() && log.failures++ == 0)
                        log.first_failure = fmt::format("omni {}: {}", fmt::join(args, " "),
                                                        r.err.empty() ? r.describe() : r.err);
                }
            }
            log.seconds = seconds_since(t);
        });
    for (auto& t : threads)
        t.join();
    running = false;
    watcher.join();
    const double wall = seconds_since(start);

    DemoTable per_worker{"workers", {"worker", "commands", "failed", "time"}, {}};
    std::size_t failures = 0;
    std::string first_failure;
    for (std::size_t w = 0; w < workers; ++w) {
        per_worker.rows.push_back({std::to_string(w + 1), std::to_string(logs[w].commands),
                                   std::to_string(logs[w].failures), ms(logs[w].seconds)});
        failures += logs[w].failures;
        if (first_failure.empty())
            first_failure = logs[w].first_failure;
    }

    // Nothing lost: every worker's last write is in the config.
    const Config config(home);
    std::size_t kept = 0;
    for (std::size_t w = 0; w < workers; ++w) {
        const auto value = config.get(fmt::format("demo.worker-{}", w + 1));
        kept += value && value->is_number() && value->get<std::size_t>() == rounds - 1;
    }
    // Every bubble built once: one "built" line per bubble across all logs.
    std::string all_logs;
    for (std::size_t w = 0; w < workers; ++w)
        all_logs += fs::read_file(scratch.path() / fmt::format("worker-{}.log", w + 1));
    std::size_t bubbles = 0, built_once = 0, partial = 0;
    std::error_code ec;
    for (const auto& env_dir : stdfs::directory_iterator(home.bubbles_dir(), ec))
        for (const auto& dir : stdfs::directory_iterator(env_dir.path(), ec)) {
            ++bubbles;
            built_once += count_of(all_logs, dir.path().string() + " built") == 1;
            partial += !stdfs::exists(dir.path() / "bubble.json", ec);
        }
    const std::size_t built_lines = count_of(all_logs, " built\n");
    // The config and the shims agree on the final choice.
    const auto active = config.get("python.active");
    const auto shim_env = python::shim_target(home);
    bool agree = false;
    for (const auto& i : interpreters)
        if (active && active->is_string() && i.path == active->get<std::string>())
            agree = python::main_env_path(home, i) == shim_env;
    const bool staging_clean = [&] {
        for (const auto& e : stdfs::directory_iterator(home.staging_dir(), ec)) {
            (void)e;
            return false;
        }
        return true;
    }();

    DemoTable invariants{"invariants", {"invariant", "evidence", "holds"}, {}};
    const auto row = [&](const std::string& name, const std::string& evidence, bool holds) {
        invariants.rows.push_back({name, evidence, holds ? "yes" : "NO"});
        return holds;
    };
    bool ok = true;
    ok &=
        row("every command succeeded",
            fmt::format("{} of {} commands", workers * rounds * 3 - failures, workers * rounds * 3),
            failures == 0);
    ok &=
        row("nothing lost", fmt::format("{} of {} workers' last config writes kept", kept, workers),
            kept == workers);
    ok &= row("nothing torn",
              fmt::format("{} reads of config.json and bin/python mid-race, {} bad",
                          seen.observations.load(), seen.torn.load()),
              seen.torn == 0 && seen.observations > 0);
    ok &= row("every bubble built once",
              fmt::format("{} bubbles, {} built exactly once, {} build lines", bubbles, built_once,
                          built_lines),
              bubbles > 0 && built_once == bubbles && built_lines == bubbles && partial == 0);
    ok &= row("config and shims agree",
              fmt::format("python.active {}, bin/python runs envs/{}",
                          active && active->is_string() ? active->get<std::string>() : "unset",
                          shim_env.filename().string()),
              agree);
    ok &= row("no work left in staging",
              staging_clean ? "staging/ is empty" : "staging/ is not empty", staging_clean);
    result.tables = {per_worker, invariants};
    result.summary.push_back(fmt::format(
        "{} omni processes in {:.2f}s on {} interpreters ({}); {} bubbles built, each once",
        workers * rounds * 3, wall, interpreters.size(),
        [&] {
            std::string names;
            for (const auto& i : interpreters)
                names += (names.empty() ? "" : ", ") + i.version.str();
            return names;
        }(),
        bubbles));
    result.passed = ok;
    if (!ok)
        result.failure = !first_failure.empty() ? first_failure
                         : seen.torn > 0        ? seen.first_torn
                                                : "an invariant does not hold (see the table)";
    return result;
}

}  // namespace omni::demo
