#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/install/installed.hpp"
#include "omni/standards/name.hpp"

namespace omni::cli {

void register_uninstall_command(CLI::App& app, Context& context) {
    auto* uninstall = app.add_subcommand(
        "uninstall", "Remove distributions from the target env (what their RECORD lists)");
    auto names = std::make_shared<std::vector<std::string>>();
    uninstall->add_option("names", *names, "Distribution names")->required();
    uninstall->callback([&context, names] {
        const auto provision = context.provision();
        const auto site = bubble::site_packages(provision);
        const auto installed = install::list_installed(site);
        for (const auto& name : *names) {
            const auto wanted = standards::normalize_name(name);
            const auto it = std::find_if(installed.begin(), installed.end(),
                                         [&](const auto& d) { return d.name == wanted; });
            if (it == installed.end())
                throw Error(
                    ErrorCode::not_found,
                    fmt::format("'{}' is not installed in {}", name, provision.env_root.string()),
                    "'omni list' shows what is; a bubble goes with 'omni bubble remove "
                    "NAME==VERSION'");
            const auto refused = install::uninstall(*it, site, provision.env_root);
            fmt::print("removed {} {}\n", it->name, it->version);
            for (const auto& path : refused)
                fmt::print("  kept '{}': RECORD points outside the env\n", path);
        }
    });
}

}  // namespace omni::cli
