#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/bubble/store.hpp"
#include "omni/install/installed.hpp"

namespace omni::cli {

void register_list_command(CLI::App& app, Context& context) {
    auto* list =
        app.add_subcommand("list", "Packages in the target env and the interpreter's bubbles");
    auto json = std::make_shared<bool>(false);
    list->add_flag("--json", *json, "Print as JSON");
    list->callback([&context, json] {
        const auto provision = context.provision();
        const auto site = bubble::site_packages(provision);
        const auto installed = install::list_installed(site);
        const auto bubbles =
            bubble::BubbleStore(provision.home).list(provision.interpreter.env_key());
        if (*json) {
            nlohmann::json out = {{"env", provision.env_root.string()},
                                  {"packages", nlohmann::json::array()},
                                  {"bubbles", nlohmann::json::array()}};
            for (const auto& d : installed)
                out["packages"].push_back({{"name", d.name}, {"version", d.version}});
            for (const auto& b : bubbles)
                out["bubbles"].push_back(
                    {{"name", b.name}, {"version", b.version}, {"path", b.path.string()}});
            fmt::print("{}\n", out.dump(2));
            return;
        }
        fmt::print("main env {} ({})\n", provision.env_root.string(),
                   provision.interpreter.describe());
        for (const auto& d : installed)
            fmt::print("  {:<30} {}\n", d.name, d.version);
        if (!bubbles.empty())
            fmt::print("bubbles\n");
        for (const auto& b : bubbles)
            fmt::print("  {:<30} {}  {}\n", b.name, b.version, b.path.string());
    });
}

}  // namespace omni::cli
