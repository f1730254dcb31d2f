#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/home/config.hpp"
#include "omni/run/heal_memory.hpp"
#include "omni/run/healer.hpp"
#include "omni/run/provisioned_environment.hpp"
#include "omni/standards/script_metadata.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"

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

run::NewPackagePolicy policy(const Home& home, bool yes) {
    if (yes)
        return run::NewPackagePolicy::allow;
    const auto value = Config(home).get("heal.new-packages");
    if (!value || !value->is_string())
        return run::NewPackagePolicy::ask;
    const auto text = value->get<std::string>();
    if (text == "allow")
        return run::NewPackagePolicy::allow;
    if (text == "deny")
        return run::NewPackagePolicy::deny;
    if (text != "ask")
        throw Error(ErrorCode::invalid_input, fmt::format("config heal.new-packages is '{}'", text),
                    "set it to ask, allow or deny: omni config set heal.new-packages ask");
    return run::NewPackagePolicy::ask;
}

std::string describe_fix(const run::Fix& fix) {
    const std::string what =
        fix.interpreter.empty() ? fix.requirement : "Python " + fix.finding.python;
    std::string text =
        fmt::format("{} ({}: {})", what, run::to_string(fix.finding.kind), fix.finding.evidence);
    if (fix.new_package)
        text += " [new to this machine]";
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
        const auto& passthrough = context.options.passthrough;
        if (passthrough.empty())
            throw Error(ErrorCode::usage,
                        "omni run needs a script, -m MODULE, -c CODE or a tool name");
        run::ProvisionedEnvironment environment(context.provision(), context.registry());
        const auto& home = context.home();

        run::RunTarget target;
        const auto& first = passthrough.front();
        std::error_code ec;
        std::string source;
        run::HealOptions heal;
        if (first == "-m" || first == "-c") {
            target.argv = {environment.env_python().string()};
            target.argv.insert(target.argv.end(), passthrough.begin(), passthrough.end());
        } else if (std::filesystem::is_regular_file(first, ec)) {
            target.script = std::filesystem::absolute(first);
            source = fs::read_file(target.script);
            auto metadata = standards::ScriptMetadata::parse(source);
            if (!metadata)
                throw metadata.error();
            if (*metadata) {
                const auto& m = **metadata;
                if (m.requires_python) {
                    const auto& v = environment.context().interpreter.version;
                    const auto current = standards::Version::parse(
                        fmt::format("{}.{}.{}", v.major, v.minor, v.micro));
                    if (current && !m.requires_python->contains(*current, true)) {
                        if (!environment.interpreter_for(m.requires_python->to_string()))
                            throw Error(
                                ErrorCode::not_found,
                                fmt::format(
                                    "the script needs Python {} and no interpreter here has it",
                                    m.requires_python->to_string()),
                                "'omni python list' shows the interpreters there are");
                        say(fmt::format("running on {} (the script requires Python {})",
                                        environment.context().interpreter.describe(),
                                        m.requires_python->to_string()));
                    }
                }
                for (const auto& dep : m.dependencies) {
                    const auto b = environment.ensure_bubble(dep.to_string());
                    say(fmt::format("bubble {}=={} for the script's dependency {}", b.name,
                                    b.version, dep.to_string()));
                    heal.bubbles.push_back(b);
                }
            }
            target.argv = {environment.env_python().string(), target.script.string()};
            target.argv.insert(target.argv.end(), passthrough.begin() + 1, passthrough.end());
            if (const auto memory = run::recall_heal(home, sha256_hex(source))) {
                for (const auto& r : memory->requirements)
                    heal.bubbles.push_back(environment.ensure_bubble(r));
                if (!memory->requirements.empty())
                    say(fmt::format("using what healed this script before: {}",
                                    fmt::join(memory->requirements, ", ")));
            }
        } else {
            // A console tool of the env (or of a bubble, once healed).
            const auto tool = environment.context().env_root / "bin" / first;
            if (!std::filesystem::exists(tool, ec))
                throw Error(ErrorCode::not_found,
                            fmt::format("'{}' is neither a file nor a tool in {}", first,
                                        (environment.context().env_root / "bin").string()));
            target.argv = {tool.string()};
            target.argv.insert(target.argv.end(), passthrough.begin() + 1, passthrough.end());
        }

        heal.heal = !options->no_heal;
        heal.dry_run = options->dry_run;
        heal.max_rounds = options->rounds;
        heal.new_packages = policy(home, options->yes);
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
            fmt::print(stderr, "omni: install {} into a bubble? It is new to this machine. [y/N] ",
                       fix.requirement);
            std::fflush(stderr);
            std::string answer;
            std::getline(std::cin, answer);
            return answer == "y" || answer == "Y" || answer == "yes";
        };
        const auto report = run::run_with_healing(target, environment, heal, events);

        if (report.healed) {
            std::vector<std::string> requirements;
            for (const auto& f : report.fixes)
                if (!f.requirement.empty())
                    requirements.push_back(f.requirement);
            if (!source.empty())
                run::remember_heal(home, sha256_hex(source), {report.argv.front(), requirements});
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
