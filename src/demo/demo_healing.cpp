// Demo 3: the main env has the newer version; a script asserts the older;
// omni run's healer finds the version, builds the bubble and re-runs.
#include <fmt/format.h>

#include "demo/demo_common.hpp"
#include "omni/install/installed.hpp"
#include "omni/run/healer.hpp"
#include "omni/run/provisioned_environment.hpp"
#include "omni/standards/name.hpp"
#include "omni/util/fs.hpp"

namespace omni::demo {

DemoResult run_healing(DemoContext& context) {
    const auto interpreter = pick_interpreters(context, {"3.11", "3.12", "3.10"}, 1).front();
    const auto pc = provision(context, interpreter);
    const auto& subject = context.subject;
    const auto& older = subject.versions.front();
    const auto& newer = subject.versions.back();
    DemoResult result;
    auto t = Clock::now();
    bubble::install_requirements(pc, {subject.requirement(2)}, bubble::Placement::main);
    context.say(fmt::format("the main env of Python {} has {} {} ({})", interpreter.version.str(),
                            subject.name, newer, ms(seconds_since(t))));
    // The module's name, from the distribution just installed.
    std::vector<std::string> import_names;
    for (const auto& d : install::list_installed(bubble::site_packages(pc)))
        if (d.name == standards::normalize_name(subject.name))
            import_names = d.import_names;
    const auto module = module_name(subject.name, import_names);
    const auto script =
        context.home.root() / "demo" / "scripts" / fmt::format("needs_{}_{}.py", module, older);
    std::filesystem::create_directories(script.parent_path());
    fs::atomic_write(script,
                     fmt::format("from importlib.metadata import version\n"
                                 "import {0}\n"
                                 "assert version(\"{1}\") == \"{2}\", \"Expected {2}, got \" "
                                 "+ version(\"{1}\")\n"
                                 "print(\"{1}\", version(\"{1}\"), {0}.__file__)\n",
                                 module, subject.name, older));
    context.say(
        fmt::format("{} asserts {} {}; omni run starts it", script.string(), subject.name, older));

    run::ProvisionedEnvironment environment(pc, context.registry);
    run::HealEvents events;
    std::string first_error;
    events.stderr_sink = [&](std::string_view chunk) { first_error.append(chunk); };
    events.on_plan = [&](int round, const std::vector<run::Fix>& fixes) {
        const auto last = first_error.find_last_not_of('\n');
        const auto line_start = first_error.rfind('\n', last);
        context.say(
            fmt::format("the script failed: {}",
                        first_error.substr(line_start == std::string::npos ? 0 : line_start + 1)));
        for (const auto& f : fixes)
            context.say(fmt::format("round {}: {} (evidence: {})", round, f.requirement,
                                    f.finding.evidence));
    };
    run::HealOptions options;
    options.new_packages = run::NewPackagePolicy::deny;  // nothing new is needed here
    const auto report =
        run::run_with_healing({{environment.env_python().string(), script.string()}, script},
                              environment, options, events);
    // The evidence: the same script with the same bubbles, its output kept.
    const auto probe = version_probe(subject.name, module);
    const auto check = run_python(pc, report.bubbles, probe);
    const auto main = run_python(pc, {}, probe);
    DemoTable phases{"phases", {"phase", "time"}, {}};
    phases.rows = {{"first run (fails)", fmt::format("{} ms", report.first_run.count())},
                   {"traceback analysis", fmt::format("{} ms", report.analysis.count())},
                   {"bubble build", fmt::format("{} ms", report.build.count())},
                   {"re-run (passes)", fmt::format("{} ms", report.rerun.count())}};
    result.tables.push_back(phases);
    const auto bubble_path =
        report.bubbles.empty() ? std::string("(none)") : report.bubbles.front().path.string();
    // version_probe prints "X.Y VERSION FILE".
    const auto version_and_file = [](const std::string& out) {
        const auto line = out.substr(0, out.find('\n'));
        const auto space = line.find(' ');
        return space == std::string::npos ? line : line.substr(space + 1);
    };
    result.summary.push_back(
        fmt::format("script run with: {} {}", subject.name, version_and_file(check.out)));
    result.summary.push_back(
        fmt::format("main env still has {} {}", subject.name, version_and_file(main.out)));
    result.passed = report.healed && report.exit_code == 0 &&
                    version_and_file(check.out).starts_with(older + " " + bubble_path + "/") &&
                    version_and_file(main.out).starts_with(newer + " ");
    if (!result.passed)
        result.failure = report.unhealable.empty() ? check.out + check.err : report.unhealable;
    return result;
}

}  // namespace omni::demo
