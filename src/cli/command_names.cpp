#include "cli/command_names.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "omni/util/edit_distance.hpp"
#include "omni/util/error.hpp"

namespace omni::cli {

bool takes_next_value(const CLI::App& app, const std::string& arg) {
    if (arg.find('=') != std::string::npos)
        return false;
    for (const auto* opt : app.get_options()) {
        if (opt->get_items_expected_min() <= 0)
            continue;
        for (const auto& name : opt->get_lnames())
            if (arg == "--" + name)
                return true;
        for (const auto& name : opt->get_snames())
            if (arg == "-" + name)
                return true;
    }
    return false;
}

std::optional<std::string> named_command(const CLI::App& app,
                                         const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& arg = args[i];
        if (arg == "--")
            return std::nullopt;
        if (!arg.starts_with("-") || arg == "-")
            return arg;
        if (takes_next_value(app, arg))
            ++i;
    }
    return std::nullopt;
}

std::optional<std::string> closest_name(const std::string& word,
                                        const std::vector<std::string>& known) {
    std::optional<std::string> best;
    std::size_t best_distance = 0;
    for (const auto& name : known) {
        const auto d = edit_distance(word, name);
        if (!best || d < best_distance) {
            best = name;
            best_distance = d;
        }
    }
    // A typo changes a few letters; a different word changes most of them.
    if (best && (best_distance <= 2 || (best->starts_with(word) && word.size() >= 3)) &&
        best_distance < std::max(word.size(), best->size()))
        return best;
    return std::nullopt;
}

void check_command_name(const CLI::App& app, const std::vector<std::string>& args) {
    const auto word = named_command(app, args);
    if (!word)
        return;
    std::vector<std::string> known;
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (sub->get_name() == *word)
            return;
        known.push_back(sub->get_name());
    }
    std::sort(known.begin(), known.end());
    if (const auto close = closest_name(*word, known))
        throw Error(ErrorCode::usage,
                    fmt::format("unknown command '{}'; did you mean '{}'?", *word, *close),
                    "'omni help' lists the commands");
    throw Error(ErrorCode::usage, fmt::format("unknown command '{}'", *word),
                "'omni help' lists the commands");
}

}  // namespace omni::cli
