#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/lock/history.hpp"
#include "omni/lock/revert.hpp"

namespace omni::cli {

namespace {

struct RevertArgs {
    std::string id;
    bool last = false;
    bool dry_run = false;
};

const char* source_note(lock::WheelSource source) {
    switch (source) {
        case lock::WheelSource::cache:
            return "from the cache";
        case lock::WheelSource::index:
            return "not cached: from the index";
        case lock::WheelSource::missing:
            return "not cached, and offline: the revert cannot run";
    }
    return "";
}

}  // namespace

void register_revert_command(CLI::App& app, Context& context) {
    auto* revert = app.add_subcommand(
        "revert", "Return the target env to its state before a recorded change (one new change)");
    auto args = std::make_shared<RevertArgs>();
    revert->add_option("id", args->id, "The change to undo, with every later one (omni history)");
    revert->add_flag("--last", args->last, "The newest change (the default)");
    revert->add_flag("--dry-run", args->dry_run, "Say what would change; change nothing");
    revert->callback([&context, args] {
        if (args->last && !args->id.empty())
            throw Error(ErrorCode::usage, "give an id or --last, not both");
        const auto provision = context.provision();
        const auto plan = lock::plan_revert(provision, args->id);
        const auto& reverted = plan.undone.back();
        context.say(fmt::format(
            "{} {} to its state before {} ({}){}", args->dry_run ? "would return" : "returning",
            provision.env_root.string(), reverted.id, reverted.command,
            plan.undone.size() > 1 ? fmt::format(", undoing {} changes", plan.undone.size()) : ""));
        if (plan.empty()) {
            context.say("nothing to do: the env already is in that state");
            return;
        }
        if (args->dry_run) {
            for (const auto& [name, version] : plan.remove)
                fmt::print("would remove {} {}\n", name, version);
            for (const auto& item : plan.install)
                fmt::print("would install {} {}{} ({})\n", item.dist.name, item.dist.version,
                           item.installed ? fmt::format(" replacing {}", *item.installed) : "",
                           source_note(item.source));
            return;
        }
        const auto outcome = lock::apply_revert(provision, plan);
        for (const auto& [name, version] : outcome.removed)
            context.say(fmt::format("removed {} {}", name, version));
        for (const auto& item : outcome.installed)
            context.say(fmt::format("installed {} {}", item.dist.name, item.dist.version));
        if (!outcome.transaction.empty())
            context.say(fmt::format("recorded as {} ('omni revert {}' undoes it)",
                                    outcome.transaction, outcome.transaction));
    });
}

}  // namespace omni::cli
