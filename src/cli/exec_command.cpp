#include <cstdlib>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/bubble/activation.hpp"
#include "omni/bubble/provision.hpp"
#include "omni/run/runner.hpp"

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
    exec->add_option("--with", options->with, "A requirement whose bubble is active (repeatable)");
    exec->footer("usage: omni exec --with REQ [--with REQ ...] -- COMMAND [ARGS...]");
    exec->callback([&context, options] {
        options->command = context.options.passthrough;
        if (options->command.empty())
            throw Error(ErrorCode::usage, "omni exec needs a command",
                        "omni exec --with rich==13.4.2 -- python app.py");
        const auto provision = context.provision();
        std::vector<bubble::BubbleInfo> bubbles;
        // Held while the program runs: bubble remove and prune leave them be.
        std::vector<FileLock> holds;
        const bubble::BubbleStore store(provision.home);
        for (const auto& requirement : options->with) {
            // A version already here is used as it is, with no index access.
            const auto local = bubble::find_local_pin(provision, requirement);
            if (local && !local->bubble)
                continue;  // the main env has it
            auto info = local ? *local->bubble : bubble::ensure_bubble(provision, requirement).info;
            holds.push_back(store.hold(info));
            if (!store.find(info.env_key, info.name, info.version, info.variant))
                info = bubble::ensure_bubble(provision, requirement).info;  // removed meanwhile
            bubbles.push_back(std::move(info));
        }
        // The env's own bin comes after the bubbles' scripts and before the rest.
        const char* path = std::getenv("PATH");
        const std::string env_path =
            (provision.env_root / "bin").string() + (path ? std::string(":") + path : "");
        auto env =
            bubble::activation_environment(bubbles, std::getenv("PYTHONPATH"), env_path.c_str());
        if (!env.count("PATH"))
            env["PATH"] = env_path;
        env["VIRTUAL_ENV"] = provision.env_root.string();
        const auto result = run::run_once({options->command, {}}, env, [](std::string_view chunk) {
            fmt::print(stderr, "{}", chunk);
            std::fflush(stderr);
        });
        if (result.exit_code != 0)
            throw ChildExit(result.exit_code);
    });
}

}  // namespace omni::cli
