// Demo 1: three worker threads, each on its own interpreter with its own
// version of one package. The critical section (swap the active
// interpreter, install the version) is serialized by a lock; verification
// runs in parallel outside it.
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "demo/demo_common.hpp"
#include "omni/python/swap.hpp"

namespace omni::demo {

namespace {

struct Worker {
    python::InterpreterInfo interpreter;
    std::string version;  // of the demo's subject package
    double wait = 0, swap = 0, install = 0, test = 0, total = 0;
    bool ok = false;
    std::string evidence;
};

}  // namespace

DemoResult run_multiverse(DemoContext& context) {
    const auto& subject = context.subject;
    const auto interpreters = pick_interpreters(context, {"3.9", "3.10", "3.11"}, 3);
    std::vector<Worker> workers;
    for (std::size_t i = 0; i < interpreters.size(); ++i) {
        Worker w;
        w.interpreter = interpreters[i];
        w.version = subject.versions[i];
        workers.push_back(std::move(w));
    }
    context.say(fmt::format(
        "{} threads start at once; each swaps to its Python and installs its version of "
        "{} under one lock, then verifies outside it",
        workers.size(), subject.name));
    // Main envs exist before the race, as they would for a user.
    std::vector<bubble::ProvisionContext> contexts;
    for (const auto& w : workers)
        contexts.push_back(provision(context, w.interpreter));

    std::mutex critical;
    std::mutex narration;
    const auto say = [&](const std::string& text) {
        std::lock_guard lock(narration);
        context.say(text);
    };
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < workers.size(); ++i)
        threads.emplace_back([&, i] {
            auto& w = workers[i];
            const auto& pc = contexts[i];
            const auto began = Clock::now();
            bubble::BubbleInfo bubble;
            try {
                {
                    std::unique_lock lock(critical);
                    w.wait = seconds_since(began);
                    auto t = Clock::now();
                    python::swap_python(context.home, context.registry,
                                        *python::PythonRequest::parse(w.interpreter.path.string()));
                    w.swap = seconds_since(t);
                    t = Clock::now();
                    bubble = bubble::ensure_bubble(pc, subject.name + "==" + w.version).info;
                    w.install = seconds_since(t);
                }
                say(fmt::format("thread {}: Python {} active, {} {} in {}", i + 1,
                                w.interpreter.version.str(), subject.name, w.version,
                                bubble.path.string()));
                const auto t = Clock::now();
                const auto r = run_python(
                    pc, {bubble}, version_probe(subject.name, module_in(bubble, subject.name)));
                w.test = seconds_since(t);
                const auto expected =
                    fmt::format("{}.{} {} {}", w.interpreter.version.major,
                                w.interpreter.version.minor, w.version, bubble.path.string());
                w.ok = r.ok() && r.out.starts_with(expected);
                w.evidence = r.ok() ? r.out.substr(0, r.out.find('\n')) : r.err;
            } catch (const std::exception& e) {
                w.evidence = e.what();
            }
            w.total = seconds_since(began);
        });
    for (auto& t : threads)
        t.join();
    const double wall = seconds_since(start);

    DemoResult result;
    DemoTable timings{
        "per thread",
        {"thread", "python", subject.name, "wait", "swap", "install", "test", "total", "verified"},
        {}};
    DemoTable contention{"lock contention", {"thread", "waited for the lock", "held it"}, {}};
    double sequential = 0;
    result.passed = true;
    for (std::size_t i = 0; i < workers.size(); ++i) {
        const auto& w = workers[i];
        timings.rows.push_back({std::to_string(i + 1), w.interpreter.version.str(), w.version,
                                ms(w.wait), ms(w.swap), ms(w.install), ms(w.test), ms(w.total),
                                w.ok ? "yes" : "NO"});
        contention.rows.push_back({std::to_string(i + 1), ms(w.wait), ms(w.swap + w.install)});
        sequential += w.swap + w.install + w.test;
        result.passed = result.passed && w.ok;
        result.summary.push_back(fmt::format("thread {} evidence: {}", i + 1, w.evidence));
        if (!w.ok && result.failure.empty())
            result.failure = fmt::format("thread {}: {}", i + 1, w.evidence);
    }
    result.tables = {timings, contention};
    result.summary.push_back(
        fmt::format("concurrent wall time {} next to {} for the same steps one after another",
                    ms(wall), ms(sequential)));
    return result;
}

}  // namespace omni::demo
