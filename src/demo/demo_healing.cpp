// Demo 3: the main env has the newer version; a script asserts the older;
// omni run's healer finds the version, builds the bubble and re-runs.
#include <fmt/format.h>

#include "demo/demo_common.hpp"
#include "omni/run/healer.hpp"
#include "omni/run/provisioned_environment.hpp"
#include "omni/util/fs.hpp"

namespace omni::demo {

DemoResult run_healing(DemoContext& context) {
    const auto interpreter = pick_interpreters(context, {"3.11", "3.12", "3.10"}, 1).front();
    const auto pc = provision(context, interpreter);
    DemoResult result;
    auto t = Clock::now();
    bubble::install_requirements(pc, {"omni-demo-greet==3.0.0"}, bubble::Placement::main);
    context.say(fmt::format("the main env of Python {} has omni-demo-greet 3.0.0 ({})",
                            interpreter.version.str(), ms(seconds_since(t))));
    const auto script = context.home.root() / "demo" / "scripts" / "needs_greet_1.py";
    std::filesystem::create_directories(script.parent_path());
    fs::atomic_write(script,
                     "import omni_demo_greet\n"
                     "assert omni_demo_greet.__version__ == \"1.0.0\", \"Expected 1.0.0, got \" + "
                     "omni_demo_greet.__version__\n"
                     "print(omni_demo_greet.greet(\"world\"))\n");
    context.say(
        fmt::format("{} asserts omni-demo-greet 1.0.0; omni run starts it", script.string()));

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
    const auto check = run_python(
        pc, report.bubbles, "import runpy, omni_demo_greet as g; print(g.__version__, g.__file__)");
    const auto main = run_python(pc, {}, "import omni_demo_greet as g; print(g.__version__)");
    DemoTable phases{"phases", {"phase", "time"}, {}};
    phases.rows = {{"first run (fails)", fmt::format("{} ms", report.first_run.count())},
                   {"traceback analysis", fmt::format("{} ms", report.analysis.count())},
                   {"bubble build", fmt::format("{} ms", report.build.count())},
                   {"re-run (passes)", fmt::format("{} ms", report.rerun.count())}};
    result.tables.push_back(phases);
    const auto bubble_path =
        report.bubbles.empty() ? std::string("(none)") : report.bubbles.front().path.string();
    result.summary.push_back("script run with: omni-demo-greet " +
                             check.out.substr(0, check.out.find('\n')));
    result.summary.push_back("main env still has omni-demo-greet " +
                             main.out.substr(0, main.out.find('\n')));
    result.passed = report.healed && report.exit_code == 0 &&
                    check.out.starts_with("1.0.0 " + bubble_path + "/") && main.out == "3.0.0\n";
    if (!result.passed)
        result.failure = report.unhealable.empty() ? check.out + check.err : report.unhealable;
    return result;
}

}  // namespace omni::demo
