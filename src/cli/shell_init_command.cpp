#include <cstdlib>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/python/swap.hpp"

namespace omni::cli {

namespace {

// `omni shell X` must change the calling shell's environment, which only a
// shell function can do: it evaluates what `omni shell --emit` prints.
constexpr std::string_view posix_function = R"SH(omni() {
  if [ "${1:-}" = shell ]; then
    shift
    _omni_code="$(command omni shell --emit sh "$@")" || return $?
    eval "$_omni_code"
    unset _omni_code
  else
    command omni "$@"
  fi
}
)SH";

constexpr std::string_view fish_function = R"SH(function omni
  if test (count $argv) -gt 0; and test "$argv[1]" = shell
    set -l code (command omni shell --emit fish $argv[2..-1]); or return $status
    printf '%s\n' $code | source
  else
    command omni $argv
  end
end
)SH";

}  // namespace

void register_shell_init_command(CLI::App& app, Context& context) {
    auto* init = app.add_subcommand(
        "shell-init", "Print what puts omni's shims on PATH (eval \"$(omni shell-init)\")");
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
        fmt::print("{}\n{}", python::shell_path_line(context.home(), name),
                   name == "fish" ? fish_function : posix_function);
    });
}

}  // namespace omni::cli
