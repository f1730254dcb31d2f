// `omni help [COMMAND...]`: the help of omni or of one of its commands, as
// `omni COMMAND --help` prints it.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/command_names.hpp"
#include "cli/commands.hpp"
#include "omni/util/error.hpp"

namespace omni::cli {

void register_help_command(CLI::App& app) {
    auto* help = app.add_subcommand("help", "Show the help of omni or of a command");
    auto words = std::make_shared<std::vector<std::string>>();
    help->add_option("command", *words, "The command (e.g. install, or python install)");
    help->callback([&app, words] {
        CLI::App* at = &app;
        std::string path = "omni";
        for (const auto& word : *words) {
            std::vector<std::string> known;
            CLI::App* next = nullptr;
            for (auto* sub : at->get_subcommands([](CLI::App*) { return true; })) {
                known.push_back(sub->get_name());
                if (sub->get_name() == word)
                    next = sub;
            }
            if (next == nullptr) {
                const auto close = closest_name(word, known);
                const auto where = path == "omni" ? std::string() : " under '" + path + "'";
                throw Error(ErrorCode::usage,
                            close ? fmt::format("unknown command '{}'{}; did you mean '{}'?", word,
                                                where, *close)
                                  : fmt::format("unknown command '{}'{}", word, where),
                            fmt::format("'{} --help' lists the commands", path));
            }
            at = next;
            if (at != &app)
                path += " " + word;
        }
        // The formatter itself: App::help() would show the help of the
        // command being run, which is `help`.
        fmt::print("{}", at->get_formatter()->make_help(at, path, CLI::AppFormatMode::Normal));
    });
}

}  // namespace omni::cli
