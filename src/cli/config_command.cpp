#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/home/config.hpp"

namespace omni::cli {

namespace {

std::string checked_key(const std::string& key) {
    auto valid = validate_config_key(key);
    if (!valid)
        throw valid.error();
    return *valid;
}

// Strings print bare, everything else as JSON, as `git config` users expect.
std::string display(const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

void register_config_command(CLI::App& app, Context& context) {
    auto* config = app.add_subcommand("config", "Read and change omni's settings");
    config->require_subcommand(1);

    struct Options {
        bool json = false;
        bool show_origin = false;
        std::string key;
        std::string value;
    };
    auto options = std::make_shared<Options>();

    auto* list = config->add_subcommand("list", "Show every setting");
    list->add_flag("--json", options->json, "Print as JSON");
    list->add_flag("--show-origin", options->show_origin,
                   "Every setting in effect, from every source, and where it came from");
    list->callback([&context, options] {
        if (options->show_origin) {
            const auto settings = context.settings().all();
            if (options->json) {
                nlohmann::json out = nlohmann::json::array();
                for (const auto& s : settings)
                    out.push_back({{"key", s.key},
                                   {"value", s.value},
                                   {"source", to_string(s.layer)},
                                   {"origin", s.origin}});
                fmt::print("{}\n", out.dump(2));
                return;
            }
            for (const auto& s : settings)
                fmt::print("{} = {}\t({}: {})\n", s.key, display(s.value), to_string(s.layer),
                           s.origin);
            return;
        }
        const auto values = Config(context.home()).load();
        if (options->json) {
            fmt::print("{}\n", values.dump(2));
            return;
        }
        for (const auto& [key, value] : values.items())
            fmt::print("{} = {}\n", key, display(value));
    });

    auto* get = config->add_subcommand("get", "Print one setting");
    get->add_option("key", options->key, "Dotted key, e.g. heal.new-packages")->required();
    get->add_flag("--json", options->json, "Print as JSON");
    get->callback([&context, options] {
        const auto key = checked_key(options->key);
        const auto value = Config(context.home()).get(key);
        if (!value)
            throw Error(ErrorCode::not_found, fmt::format("config key '{}' is not set", key),
                        "'omni config list' shows the keys that are set");
        fmt::print("{}\n", options->json ? value->dump() : display(*value));
    });

    auto* set = config->add_subcommand("set", "Change one setting (the value may be JSON)");
    set->add_option("key", options->key, "Dotted key")->required();
    set->add_option("value", options->value, "Value: JSON, or else taken as text")->required();
    set->callback([&context, options] {
        const auto key = checked_key(options->key);
        auto value = parse_config_value(options->value);
        if (const auto* spec = find_setting(key)) {
            auto checked = check_setting(*spec, value, "omni config set");
            if (!checked)
                throw checked.error();
            value = *checked;
        }
        Config(context.home()).set(key, value);
    });

    auto* unset = config->add_subcommand("unset", "Remove one setting");
    unset->add_option("key", options->key, "Dotted key")->required();
    unset->callback([&context, options] {
        const auto key = checked_key(options->key);
        if (!Config(context.home()).unset(key))
            throw Error(ErrorCode::not_found, fmt::format("config key '{}' is not set", key));
    });

    auto* repair = config->add_subcommand("repair", "Restore the last good config.json");
    repair->callback([&context] {
        const auto outcome = Config(context.home()).repair();
        switch (outcome.action) {
            case RepairOutcome::Action::nothing_to_do:
                fmt::print("config.json is valid; nothing to repair\n");
                break;
            case RepairOutcome::Action::restored_backup:
                fmt::print("restored the last good config.json; the damaged file is kept at {}\n",
                           outcome.corrupt_copy.string());
                break;
            case RepairOutcome::Action::reset_to_empty:
                fmt::print(
                    "no good copy was kept; config.json is now empty; the damaged file is "
                    "kept at {}\n",
                    outcome.corrupt_copy.string());
                break;
        }
    });
}

}  // namespace omni::cli
