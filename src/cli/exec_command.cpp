#include <cstdlib>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/options.hpp"
#include "omni/bubble/activation.hpp"
#include "omni/bubble/bubble_set.hpp"
#include "omni/bubble/hold.hpp"
#include "omni/bubble/provision.hpp"
#include "omni/run/runner.hpp"
#include "omni/util/process.hpp"

namespace omni::cli {

void register_exec_command(CLI::App& app, Context& context) {
    auto* exec = app.add_subcommand(
        "exec",
        "Run a command with bubbles active (omni exec --with rich==13.4.2 -- python app.py)");
    struct Options {
        std::vector<std::string> with;
        std::vector<std::string> command;
    };
    auto options = std::make_shared<Options>();
    add_repeatable(*exec, "--with", options->with,
                   "A requirement whose bubble is active (repeatable)");
    exec->footer("usage: omni exec --with REQ [--with REQ ...] -- COMMAND [ARGS...]");
    exec->callback([&context, options] {
        options->command = context.options.passthrough;
        if (options->command.empty())
            throw Error(ErrorCode::usage, "omni exec needs a command",
                        "omni exec --with rich==13.4.2 -- python app.py");
        const auto provision = context.provision();
        std::vector<bubble::BubbleInfo> bubbles;
        // A version already here is used as it is, with no index access; the
        // rest are resolved together, so two of them cannot disagree.
        std::vector<std::string> to_build;
        for (const auto& requirement : options->with) {
            const auto local = bubble::find_local_pin(provision, requirement);
            if (!local)
                to_build.push_back(requirement);
            else if (local->bubble)
                bubbles.push_back(*local->bubble);
        }
        if (!to_build.empty())
            for (const auto& ensured : bubble::ensure_bubbles_together(provision, to_build))
                bubbles.push_back(ensured.info);
        // Held while the program runs: bubble remove and prune leave them be.
        const auto holds = bubble::hold_bubbles(provision, bubbles);
        // The env's own bin comes after the bubbles' scripts and before the rest.
        const char* path = std::getenv("PATH");
        const std::string env_path =
            (provision.env_root / "bin").string() + (path ? std::string(":") + path : "");
        auto env =
            bubble::activation_environment(bubbles, std::getenv("PYTHONPATH"), env_path.c_str());
        if (!env.count("PATH"))
            env["PATH"] = env_path;
        env["VIRTUAL_ENV"] = provision.env_root.string();
        // As a shell says: 127 when the command is not there, 126 when it
        // cannot be run.
        const auto program = find_program(options->command.front(), env["PATH"].value_or(""));
        if (program.empty()) {
            fmt::print(stderr, "error: command not found: {}\n", options->command.front());
            throw ChildExit(127);
        }
        run::RunResult result;
        try {
            result = run::run_once({options->command, {}}, env, [](std::string_view chunk) {
                fmt::print(stderr, "{}", chunk);
                std::fflush(stderr);
            });
        } catch (const Error& e) {
            if (e.code() != ErrorCode::process)
                throw;
            fmt::print(stderr, "error: {}\n", e.what());
            throw ChildExit(126);
        }
        if (result.exit_code != 0)
            throw ChildExit(result.exit_code);
    });
}

}  // namespace omni::cli
