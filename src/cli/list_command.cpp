#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/bubble/store.hpp"
#include "omni/install/installed.hpp"
#include "omni/lock/freeze.hpp"

namespace omni::cli {

void register_list_command(CLI::App& app, Context& context) {
    auto* list =
        app.add_subcommand("list", "Packages in the target env and the interpreter's bubbles");
    auto json = std::make_shared<bool>(false);
    list->add_flag("--json", *json, "Print the env and its bubbles as JSON");
    auto format = std::make_shared<std::string>();
    list->add_option("--format", *format, "The env's packages as pip lists them")
        ->check(CLI::IsMember({"columns", "freeze", "json"}));
    list->callback([&context, json, format] {
        const auto provision = context.provision();
        const auto site = bubble::site_packages(provision);
        if (!format->empty()) {
            const auto dists = lock::read_env(site);
            if (*format == "json")
                fmt::print("{}\n", lock::list_json(dists));
            else if (*format == "freeze")
                for (const auto& line : lock::list_freeze_lines(dists))
                    fmt::print("{}\n", line);
            else
                fmt::print("{}", lock::list_columns(dists));
            return;
        }
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
