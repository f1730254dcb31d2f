// Demo 2: a stage on the older interpreter with legacy versions computes a
// result and hands it as JSON to a stage on the newer interpreter, run
// through omni run's healer, which finds the modern versions it needs.
#include <fmt/format.h>

#include "demo/demo_common.hpp"
#include "omni/run/healer.hpp"
#include "omni/run/provisioned_environment.hpp"
#include "omni/util/fs.hpp"

namespace omni::demo {

namespace {

// With a real package: stage 1 runs the oldest of the subject's versions on
// the older interpreter; stage 2, on the newer one whose main env has that
// same old version, asserts the newest and is healed by omni run.
DemoResult run_subject_pipeline(DemoContext& context) {
    auto pythons = pick_interpreters(context, {"3.9", "3.12", "3.11"}, 2);
    std::sort(pythons.begin(), pythons.end(),
              [](const auto& a, const auto& b) { return a.version.minor < b.version.minor; });
    const auto legacy = provision(context, pythons.front());
    const auto modern = provision(context, pythons.back());
    const auto& subject = context.subject;
    const auto& oldest = subject.versions.front();
    const auto& newest = subject.versions.back();
    DemoResult result;
    const auto work = context.home.root() / "demo" / "pipeline";
    std::filesystem::create_directories(work);
    const auto handoff = work / "stage1-subject.json";

    auto t = Clock::now();
    const auto old_bubble = bubble::ensure_bubble(legacy, subject.requirement(0)).info;
    const auto module = module_in(old_bubble, subject.name);
    const auto stage1 =
        run_python(legacy, {old_bubble},
                   fmt::format("import json, sys, {0}\n"
                               "from importlib.metadata import version\n"
                               "json.dump({{'python': '%d.%d' % sys.version_info[:2], 'version': "
                               "version('{1}'), 'file': {0}.__file__}}, open(sys.argv[1], 'w'))\n",
                               module, subject.name),
                   {handoff.string()});
    const double stage1_time = seconds_since(t);
    if (!stage1.ok()) {
        result.failure = "stage 1 failed: " + stage1.err;
        return result;
    }
    context.say(fmt::format("stage 1 on Python {} with {} {} wrote {}",
                            pythons.front().version.str(), subject.name, oldest, handoff.string()));
    bubble::install_requirements(modern, {subject.requirement(0)}, bubble::Placement::main);
    const auto script = work / "stage2-subject.py";
    fs::atomic_write(script,
                     fmt::format("import json, sys, {0}\n"
                                 "from importlib.metadata import version\n"
                                 "data = json.load(open(sys.argv[1]))\n"
                                 "assert version('{1}') == '{2}', 'Expected {2}, got ' + "
                                 "version('{1}')\n"
                                 "print('stage 2 on %d.%d with {1} %s; stage 1 on %s had %s' % "
                                 "(sys.version_info[0], sys.version_info[1], version('{1}'), "
                                 "data['python'], data['version']))\n",
                                 module, subject.name, newest));
    context.say(
        fmt::format("stage 2 on Python {} needs {} {}; its main env has {}; omni run "
                    "heals it",
                    pythons.back().version.str(), subject.name, newest, oldest));
    run::ProvisionedEnvironment environment(modern, context.registry);
    run::HealEvents events;
    events.stderr_sink = [](std::string_view) {};
    events.on_plan = [&](int round, const std::vector<run::Fix>& fixes) {
        for (const auto& f : fixes)
            context.say(fmt::format("round {}: {} ({})", round, f.requirement, f.finding.evidence));
    };
    run::HealOptions options;
    options.new_packages = run::NewPackagePolicy::deny;
    t = Clock::now();
    const auto report = run::run_with_healing(
        {{environment.env_python().string(), script.string(), handoff.string()}, script},
        environment, options, events);
    const double stage2_time = seconds_since(t);
    const auto check = run_python(modern, report.bubbles,
                                  "import runpy, sys; sys.argv = [sys.argv[1], sys.argv[2]]; "
                                  "runpy.run_path(sys.argv[0], run_name='__main__')",
                                  {script.string(), handoff.string()});
    DemoTable table{"stages", {"stage", "python", subject.name, "time"}, {}};
    table.rows.push_back({"1 (legacy)", pythons.front().version.str(), oldest, ms(stage1_time)});
    table.rows.push_back({"2 (modern, healed)", pythons.back().version.str(),
                          report.bubbles.empty() ? "-" : report.bubbles.front().version,
                          ms(stage2_time)});
    result.tables.push_back(table);
    result.summary.push_back(check.out.substr(0, check.out.find('\n')));
    const auto expected =
        fmt::format("with {} {}; stage 1 on {}.{} had {}", subject.name, newest,
                    pythons.front().version.major, pythons.front().version.minor, oldest);
    result.passed = report.healed && check.ok() && check.out.find(expected) != std::string::npos;
    if (!result.passed)
        result.failure = report.unhealable.empty() ? check.out + check.err : report.unhealable;
    return result;
}

}  // namespace

DemoResult run_pipeline(DemoContext& context) {
    if (!context.subject.builtin)
        return run_subject_pipeline(context);
    auto pythons = pick_interpreters(context, {"3.9", "3.12", "3.11"}, 2);
    std::sort(pythons.begin(), pythons.end(),
              [](const auto& a, const auto& b) { return a.version.minor < b.version.minor; });
    const auto legacy = provision(context, pythons.front());
    const auto modern = provision(context, pythons.back());
    DemoResult result;
    const auto work = context.home.root() / "demo" / "pipeline";
    std::filesystem::create_directories(work);
    const auto handoff = work / "stage1.json";

    auto t = Clock::now();
    const auto stats1 = bubble::ensure_bubble(legacy, "omni-demo-stats==1.0.0").info;
    const auto stage1 = run_python(legacy, {stats1},
                                   "import json, sys, omni_demo_stats as s\n"
                                   "values = [3, 5, 7, 11]\n"
                                   "json.dump({'values': values, 'mean': s.legacy_mean(values), "
                                   "'python': '%d.%d' % sys.version_info[:2],"
                                   " 'stats': s.__version__}, open(sys.argv[1], 'w'))\n",
                                   {handoff.string()});
    const double stage1_time = seconds_since(t);
    context.say(
        fmt::format("stage 1 on Python {} with omni-demo-stats 1.0.0 (legacy_mean) wrote {}",
                    pythons.front().version.str(), handoff.string()));
    if (!stage1.ok()) {
        result.failure = "stage 1 failed: " + stage1.err;
        return result;
    }
    // The modern env has the legacy version installed: stage 2 needs summary().
    bubble::install_requirements(modern, {"omni-demo-stats==1.0.0"}, bubble::Placement::main);
    const auto script = work / "stage2.py";
    fs::atomic_write(script,
                     "import json, sys\n"
                     "from omni_demo_stats import summary\n"
                     "data = json.load(open(sys.argv[1]))\n"
                     "s = summary(data['values'])\n"
                     "assert abs(s['mean'] - data['mean']) < 1e-9\n"
                     "print('stage 2 on %d.%d: mean %.2f (stage 1 on %s said %.2f), max %d' % "
                     "(sys.version_info[0], "
                     "sys.version_info[1], s['mean'], data['python'], data['mean'], s['max']))\n");
    context.say(
        fmt::format("stage 2 on Python {} needs summary(), which its main env's omni-demo-stats "
                    "1.0.0 lacks; omni run heals it",
                    pythons.back().version.str()));
    run::ProvisionedEnvironment environment(modern, context.registry);
    run::HealEvents events;
    events.stderr_sink = [](std::string_view) {};
    events.on_plan = [&](int round, const std::vector<run::Fix>& fixes) {
        for (const auto& f : fixes)
            context.say(fmt::format("round {}: {} for {}.{} ({})", round,
                                    f.requirement.empty() ? "nothing" : f.requirement,
                                    f.finding.module, f.finding.name, f.finding.evidence));
    };
    t = Clock::now();
    const auto report = run::run_with_healing(
        {{environment.env_python().string(), script.string(), handoff.string()}, script},
        environment, {}, events);
    const double stage2_time = seconds_since(t);
    const auto check = run_python(modern, report.bubbles,
                                  "import runpy, sys; sys.argv = [sys.argv[1], sys.argv[2]]; "
                                  "runpy.run_path(sys.argv[0], run_name='__main__')",
                                  {script.string(), handoff.string()});
    DemoTable table{"stages", {"stage", "python", "omni-demo-stats", "time"}, {}};
    table.rows.push_back({"1 (legacy)", pythons.front().version.str(), "1.0.0", ms(stage1_time)});
    table.rows.push_back({"2 (modern, healed)", pythons.back().version.str(),
                          report.bubbles.empty() ? "-" : report.bubbles.front().version,
                          ms(stage2_time)});
    result.tables.push_back(table);
    result.summary.push_back(check.out.substr(0, check.out.find('\n')));
    result.passed = report.healed && check.ok() && check.out.find("mean 6.50") != std::string::npos;
    if (!result.passed)
        result.failure = report.unhealable.empty() ? check.err : report.unhealable;
    return result;
}

}  // namespace omni::demo
