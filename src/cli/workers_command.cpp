#include <fmt/format.h>

#include <ctime>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/bubble/workers.hpp"
#include "omni/util/error.hpp"

namespace omni::cli {

namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : " ") + item;
    return out.empty() ? "(no bubbles)" : out;
}

}  // namespace

void register_workers_command(CLI::App& app, Context& context) {
    auto* workers =
        app.add_subcommand("workers", "Worker processes started by omni_loader.worker()");
    workers->require_subcommand(1);
    struct Options {
        bool json = false;
        bool all = false;
        std::vector<int> pids;
    };
    auto options = std::make_shared<Options>();

    auto* list = workers->add_subcommand("list", "The live workers of this home");
    list->add_flag("--json", options->json, "Print as JSON");
    list->callback([&context, options] {
        const auto found = bubble::list_workers(context.home());
        if (options->json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& w : found)
                out.push_back({{"pid", w.pid},
                               {"owner", w.owner},
                               {"python", w.python},
                               {"requirements", w.requirements},
                               {"started", w.started}});
            fmt::print("{}\n", out.dump(2));
            return;
        }
        const auto now = std::time(nullptr);
        for (const auto& w : found)
            fmt::print("{:<8} owner {:<8} up {:>6}s  {}  {}\n", w.pid, w.owner,
                       now > w.started ? now - w.started : 0, w.python, joined(w.requirements));
    });

    auto* stop = workers->add_subcommand("stop", "End workers (their owners start new ones)");
    stop->add_option("pid", options->pids, "Workers to end (as 'omni workers list' shows)");
    stop->add_flag("--all", options->all, "End every worker of this home");
    stop->callback([&context, options] {
        if (options->pids.empty() && !options->all)
            throw Error(ErrorCode::usage, "omni workers stop: which workers?",
                        "name their pids (omni workers list shows them), or pass --all");
        for (const auto& w : bubble::stop_workers(context.home(), options->pids))
            fmt::print("stopped {} ({} {})\n", w.pid, w.python, joined(w.requirements));
    });
}

}  // namespace omni::cli
