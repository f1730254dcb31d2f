#pragma once
// The subcommand a command line names, checked before parsing so that a typo
// gets "unknown command 'instal'; did you mean 'install'?" instead of the
// parser's generic complaint.
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace omni::cli {

// Whether ARG is an option of `app` that takes its value from the next word.
bool takes_next_value(const CLI::App& app, const std::string& arg);

// The first word of `args` (argv without argv[0]) that is not a global option
// of `app` or its value; nullopt when there is none.
std::optional<std::string> named_command(const CLI::App& app, const std::vector<std::string>& args);

// The closest of `known` to `word` when it is close enough to be a typo.
std::optional<std::string> closest_name(const std::string& word,
                                        const std::vector<std::string>& known);

// Throws a usage error when `args` names a command `app` does not have.
void check_command_name(const CLI::App& app, const std::vector<std::string>& args);

}  // namespace omni::cli
