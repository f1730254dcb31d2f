#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/home/config.hpp"
#include "omni/run/consent.hpp"
#include "omni/run/healer.hpp"
#include "omni/run/provisioned_environment.hpp"
#include "omni/run/script_run.hpp"

namespace omni::cli {

namespace {

struct RunOptions {
    bool no_heal = false;
    bool dry_run = false;
    bool yes = false;
    bool json = false;
    int rounds = 3;
};

void say(const std::string& text) {
    fmt::print(stderr, "omni: {}\n", text);
    std::fflush(stderr);
}

std::string describe_fix(const run::Fix& fix) {
    const std::string what =
        fix.interpreter.empty() ? fix.requirement : "Python " + fix.finding.python;
    std::string text =
        fmt::format("{} ({}: {})", what, run::to_string(fix.finding.kind), fix.finding.evidence);
    if (fix.new_package)
        text += fix.new_distributions.empty() ? " [new to this machine]"
                                              : fmt::format(" [new to this machine: {}]",
                                                            fmt::join(fix.new_distributions, ", "));
    if (!fix.approved)
        text += " -- skipped: " + fix.note;
    return text;
}

nlohmann::json report_json(const run::HealReport& r) {
    nlohmann::json fixes = nlohmann::json::array();
    for (const auto& f : r.fixes)
        fixes.push_back({{"kind", run::to_string(f.finding.kind)},
                         {"requirement", f.requirement},
                         {"interpreter", f.interpreter},
                         {"evidence", f.finding.evidence}});
    nlohmann::json bubbles = nlohmann::json::array();
    for (const auto& b : r.bubbles)
        bubbles.push_back({{"name", b.name}, {"version", b.version}, {"path", b.path.string()}});
    return {{"exit_code", r.exit_code},
            {"healed", r.healed},
            {"rounds", r.rounds},
            {"unhealable", r.unhealable},
            {"fixes", fixes},
            {"bubbles", bubbles},
            {"timings_ms",
             {{"first_run", r.first_run.count()},
              {"analysis", r.analysis.count()},
              {"bubble_build", r.build.count()},
              {"rerun", r.rerun.count()}}}};
}

}  // namespace

void register_run_command(CLI::App& app, Context& context) {
    auto* run_cmd =
        app.add_subcommand("run", "Run a script; heal version and import failures with bubbles");
    auto options = std::make_shared<RunOptions>();
    run_cmd->add_flag("--no-heal", options->no_heal, "Run once, heal nothing");
    run_cmd->add_flag("--dry-run", options->dry_run, "Show what healing would do; build nothing");
    run_cmd->add_flag("--yes,-y", options->yes, "Allow installing packages new to this machine");
    run_cmd->add_flag("--json", options->json, "Print a JSON report after the run");
    run_cmd->add_option("--rounds", options->rounds, "Most healing rounds")
        ->check(CLI::Range(1, 10));
    run_cmd->footer(
        "usage: omni run [OPTIONS] SCRIPT [ARGS...] | -m MODULE [ARGS...] | -c CODE [ARGS...] | "
        "TOOL [ARGS...]");
    run_cmd->callback([&context, options] {
        run::ProvisionedEnvironment environment(context.provision(), context.registry());
        environment.side_effect_free = options->dry_run;
        const auto& home = context.home();
        const auto prepared =
            run::prepare_run(context.options.passthrough, environment, home, options->dry_run, say);
        run::HealOptions heal;
        heal.bubbles = prepared.bubbles;
        heal.heal = !options->no_heal;
        heal.dry_run = options->dry_run;
        heal.max_rounds = options->rounds;
        heal.new_packages = run::new_package_policy(Config(home), options->yes);
        run::HealEvents events;
        events.stderr_sink = [](std::string_view chunk) {
            std::fwrite(chunk.data(), 1, chunk.size(), stderr);
            std::fflush(stderr);
        };
        events.on_plan = [](int round, const std::vector<run::Fix>& fixes) {
            say(fmt::format("healing, round {}:", round));
            for (const auto& f : fixes)
                say("  " + describe_fix(f));
        };
        events.on_bubble = [](const bubble::BubbleInfo& b, std::chrono::milliseconds took) {
            say(fmt::format("bubble {}=={} ready in {} ms: {}", b.name, b.version, took.count(),
                            b.path.string()));
        };
        events.approve = [](const run::Fix& fix) {
            if (!::isatty(STDIN_FILENO) || !::isatty(STDERR_FILENO))
                return false;
            fmt::print(stderr, "omni: install {} into a bubble? New to this machine: {}. [y/N] ",
                       fix.requirement, fmt::join(fix.new_distributions, ", "));
            std::fflush(stderr);
            std::string answer;
            std::getline(std::cin, answer);
            return answer == "y" || answer == "Y" || answer == "yes";
        };
        const auto report = run::run_with_healing(prepared.target, environment, heal, events);
        run::remember_success(home, prepared, report);
        if (report.healed) {
            say(
                fmt::format("healed in {} round{}: first run {} ms, analysis {} ms, bubble build "
                            "{} ms, re-run {} ms",
                            report.rounds, report.rounds == 1 ? "" : "s", report.first_run.count(),
                            report.analysis.count(), report.build.count(), report.rerun.count()));
        } else if (report.exit_code != 0 && heal.heal) {
            say("not healed: " + report.unhealable);
        }
        if (options->json)
            fmt::print("{}\n", report_json(report).dump(2));
        if (report.exit_code != 0)
            throw ChildExit(report.exit_code);
    });
}

}  // namespace omni::cli
