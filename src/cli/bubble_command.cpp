#include <fmt/format.h>
#include <chrono>
#include <ctime>
#include <set>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/bubble/provision.hpp"
#include "omni/bubble/store.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/version.hpp"

namespace omni::cli {

namespace {

// The bubbles of `env_key` that "rich==13.4.2" names (every variant):
// project names compare normalized and versions by PEP 440 (so 2.0 finds 2.0.0).
std::vector<bubble::BubbleInfo> find_pinned(const bubble::BubbleStore& store,
                                            const std::string& env_key, const std::string& text) {
    const auto eq = text.find("==");
    if (eq == std::string::npos || eq == 0)
        throw parse_error("bubble name", text, eq == 0 ? 0 : text.size(),
                          "expected NAME==VERSION, as 'omni bubble list' prints");
    auto version = standards::Version::parse(text.substr(eq + 2));
    if (!version)
        throw version.error();
    const auto name = standards::normalize_name(text.substr(0, eq));
    std::vector<bubble::BubbleInfo> out;
    for (auto& b : store.list(env_key)) {
        auto have = standards::Version::parse(b.version);
        if (b.name == name && have && *have == *version)
            out.push_back(std::move(b));
    }
    return out;
}

}  // namespace

void register_bubble_command(CLI::App& app, Context& context) {
    auto* bubble = app.add_subcommand("bubble", "List and remove bubbles");
    bubble->require_subcommand(1);
    struct Options {
        bool json = false;
        bool all = false;
        std::vector<std::string> pins;
    };
    auto options = std::make_shared<Options>();

    auto* list = bubble->add_subcommand("list", "Bubbles of the selected interpreter");
    list->add_flag("--json", options->json, "Print as JSON");
    list->add_flag("--all", options->all, "Bubbles of every interpreter");
    list->callback([&context, options] {
        bubble::BubbleStore store(context.home());
        const auto bubbles = options->all
                                 ? store.list()
                                 : store.list(context.selected_interpreter().interpreter.env_key());
        if (options->json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& b : bubbles)
                out.push_back(nlohmann::json::parse(to_json_text(b)));
            for (std::size_t i = 0; i < bubbles.size(); ++i)
                out[i]["path"] = bubbles[i].path.string();
            fmt::print("{}\n", out.dump(2));
            return;
        }
        for (const auto& b : bubbles) {
            std::string dists;
            for (const auto& d : b.distributions)
                dists += (dists.empty() ? "" : ", ") + d.name + " " + d.version;
            fmt::print("{:<14} {}=={:<12} {}  [{}]{}\n", b.env_key, b.name, b.version,
                       b.path.string(), dists, b.variant.empty() ? "" : " (" + b.variant + ")");
        }
    });

    auto* ensure = bubble->add_subcommand(
        "ensure", "Build the bubble of a requirement if missing; print its path");
    ensure->add_option("requirement", options->pins, "A requirement, e.g. rich==13.4.2")
        ->required()
        ->expected(1);
    ensure->callback([&context, options] {
        const auto provision = context.provision();
        // A bubble of that exact version, or the env's own copy, needs no index.
        if (const auto local = bubble::find_local_pin(provision, options->pins.at(0))) {
            fmt::print("{}\n", local->bubble ? local->bubble->path.string()
                                             : bubble::site_packages(provision).string());
            return;
        }
        const auto result = bubble::ensure_bubble(provision, options->pins.at(0));
        fmt::print("{}\n", result.info.path.string());
    });

    auto* prune = bubble->add_subcommand(
        "prune", "Remove bubbles of interpreters that are gone, or older than N days");
    auto days = std::make_shared<int>(-1);
    prune->add_option("--older-than", *days,
                      "Also remove bubbles created more than this many days ago");
    prune->callback([&context, days] {
        bubble::BubbleStore store(context.home());
        std::set<std::string> present;
        for (const auto& i : context.registry().interpreters())
            present.insert(i.env_key());
        const auto now = std::chrono::system_clock::now();
        std::size_t removed = 0;
        for (const auto& b : store.list()) {
            bool old = false;
            if (*days >= 0) {
                std::tm tm{};
                if (strptime(b.created.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
                    const auto created = std::chrono::system_clock::from_time_t(timegm(&tm));
                    old = now - created > std::chrono::hours(24) * *days;
                }
            }
            if ((!present.count(b.env_key) || old) && store.in_use(b)) {
                fmt::print("kept bubble {}=={} ({}): a running command uses it\n", b.name,
                           b.version, b.env_key);
                continue;
            }
            if (!present.count(b.env_key) || old) {
                store.remove(b.env_key, b.name, b.version, b.variant);
                context.say(fmt::format("removed bubble {}=={} ({}{})", b.name, b.version,
                                        b.env_key,
                                        present.count(b.env_key) ? ", old" : ", interpreter gone"));
                ++removed;
            }
        }
        context.say(fmt::format("{} bubble{} removed", removed, removed == 1 ? "" : "s"));
    });

    auto* remove = bubble->add_subcommand("remove", "Remove bubbles of the selected interpreter");
    remove->add_option("bubbles", options->pins, "NAME==VERSION")->required();
    remove->callback([&context, options] {
        bubble::BubbleStore store(context.home());
        const auto env_key = context.selected_interpreter().interpreter.env_key();
        for (const auto& pin : options->pins) {
            std::size_t removed = 0;
            for (const auto& found : find_pinned(store, env_key, pin)) {
                if (!store.remove(env_key, found.name, found.version, found.variant))
                    continue;
                ++removed;
                context.say(fmt::format("removed bubble {}=={} ({}{})", found.name, found.version,
                                        env_key,
                                        found.variant.empty() ? "" : ", " + found.variant));
            }
            if (removed == 0)
                throw Error(ErrorCode::not_found, fmt::format("no bubble {} for {}", pin, env_key),
                            "'omni bubble list' shows the bubbles there are");
        }
    });
}

}  // namespace omni::cli
