#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/install/env_transaction.hpp"
#include "omni/lock/history.hpp"

namespace omni::cli {

void register_history_command(CLI::App& app, Context& context) {
    auto* history = app.add_subcommand(
        "history", "Every change made to the target env, oldest first (ids for omni revert)");
    auto format = std::make_shared<std::string>("table");
    history->add_option("--format", *format, "table (default) or json")
        ->check(CLI::IsMember({"table", "json"}));
    history->callback([&context, format] {
        const auto target = context.target_env();
        // A change a stopped omni committed gets its record first.
        install::recover_if_pending(target.root);
        const auto entries = install::read_history(target.root);
        if (*format == "json") {
            fmt::print("{}\n", lock::history_json(entries));
            return;
        }
        if (entries.empty()) {
            fmt::print("no changes recorded for {} yet\n", target.root.string());
            return;
        }
        fmt::print("{}", lock::history_table(entries));
    });
}

}  // namespace omni::cli
