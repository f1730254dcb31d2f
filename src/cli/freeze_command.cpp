#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/bubble/store.hpp"
#include "omni/lock/freeze.hpp"

namespace omni::cli {

void register_freeze_command(CLI::App& app, Context& context) {
    auto* freeze = app.add_subcommand(
        "freeze", "The target env's packages as requirement lines, in pip's format");
    auto all = std::make_shared<bool>(false);
    auto bubbles = std::make_shared<bool>(false);
    freeze->add_flag("--all", *all, "Also pip, setuptools, wheel and distribute");
    freeze->add_flag("--bubbles", *bubbles,
                     "Append the interpreter's bubbles, each as a commented block");
    freeze->callback([&context, all, bubbles] {
        const auto provision = context.provision();
        const auto dists = lock::read_env(bubble::site_packages(provision));
        const lock::FreezeOptions options{*all, provision.interpreter.version.major > 3
                                                    ? 99
                                                    : provision.interpreter.version.minor};
        for (const auto& line : lock::freeze_lines(dists, options))
            fmt::print("{}\n", line);
        if (*bubbles)
            for (const auto& line : lock::freeze_bubble_lines(
                     bubble::BubbleStore(provision.home).list(provision.interpreter.env_key())))
                fmt::print("{}\n", line);
    });
}

}  // namespace omni::cli
