#include <cstdlib>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/python/swap.hpp"

namespace omni::cli {

void register_shell_init_command(CLI::App& app, Context& context) {
    auto* init = app.add_subcommand("shell-init", "Print the line that puts omni's shims on PATH");
    auto shell = std::make_shared<std::string>();
    init->add_option("shell", *shell, "bash, zsh or fish (default: from $SHELL)")
        ->check(CLI::IsMember({"bash", "zsh", "fish", "sh"}));
    init->callback([&context, shell] {
        std::string name = *shell;
        if (name.empty()) {
            const char* env = std::getenv("SHELL");
            name = env == nullptr ? "bash" : std::filesystem::path(env).filename().string();
            if (name != "fish")
                name = "bash";
        }
        fmt::print("{}\n", python::shell_path_line(context.home(), name));
    });
}

}  // namespace omni::cli
