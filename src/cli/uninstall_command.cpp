#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/bubble/provision.hpp"

namespace omni::cli {

void register_uninstall_command(CLI::App& app, Context& context) {
    auto* uninstall = app.add_subcommand(
        "uninstall", "Remove distributions from the target env (what their RECORD lists)");
    auto names = std::make_shared<std::vector<std::string>>();
    uninstall->add_option("names", *names, "Distribution names")->required();
    uninstall->callback([&context, names] {
        const auto outcome = bubble::uninstall_packages(context.provision(), *names);
        for (const auto& d : outcome.removed) {
            if (d.phantom)
                fmt::print(stderr,
                           "warning: {} had no RECORD (an install that never finished); removed "
                           "its dist-info only\n",
                           d.dist_info.filename().string());
            context.say(fmt::format("removed {} {}", d.name, d.version));
        }
        for (const auto& path : outcome.refused)
            fmt::print("  kept '{}': RECORD points outside the env\n", path);
    });
}

}  // namespace omni::cli
