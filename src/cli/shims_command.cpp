#include <cstdlib>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/self.hpp"
#include "omni/python/choice.hpp"
#include "omni/python/shims.hpp"
#include "omni/util/log.hpp"
#include "omni/util/process.hpp"

namespace omni::cli {

namespace {

python::ChoiceInputs choice_inputs(const Context& context) {
    python::ChoiceInputs inputs;
    if (!context.options.python.empty())
        inputs.option = context.options.python;
    if (const char* value = std::getenv("OMNI_PYTHON"); value != nullptr && *value != '\0')
        inputs.environment = value;
    inputs.cwd = std::filesystem::current_path();
    return inputs;
}

std::string emit_set(std::string_view shell, const std::string& value) {
    if (shell == "fish")
        return fmt::format("set -gx OMNI_PYTHON {}\n", shell_quote(value));
    return fmt::format("export OMNI_PYTHON={}\n", shell_quote(value));
}

std::string emit_unset(std::string_view shell) {
    return shell == "fish" ? "set -e OMNI_PYTHON\n" : "unset OMNI_PYTHON\n";
}

}  // namespace

void register_shims_commands(CLI::App& app, Context& context) {
    auto* which = app.add_subcommand("which", "Print the program a shim runs here");
    auto command = std::make_shared<std::string>();
    which->add_option("command", *command, "python, pip, a console script...")->required();
    which->callback([&context, command] {
        const auto target = python::resolve_shim(context.home(), *command, choice_inputs(context));
        logger().info("{} from {} (main env {})", target.interpreter.describe(), target.origin,
                      target.env.string());
        fmt::print("{}\n", target.program.string());
    });

    auto* rehash = app.add_subcommand("rehash", "Make a shim for every command of the main envs");
    rehash->callback([&context] {
        const auto outcome = python::rehash(context.home(), self_binary());
        for (const auto& name : outcome.added)
            fmt::print("added {}\n", name);
        for (const auto& name : outcome.removed)
            fmt::print("removed {}\n", name);
        for (const auto& name : outcome.kept_foreign)
            fmt::print("left {}: not an omni shim\n", name);
    });

    struct ShellOptions {
        std::string request;
        bool unset = false;
        std::string emit;
    };
    auto shell_options = std::make_shared<ShellOptions>();
    auto* shell = app.add_subcommand(
        "shell", "Choose the interpreter for this shell session (sets OMNI_PYTHON)");
    shell->add_option("request", shell_options->request, "3.11, cpython@3.12, >=3.10...");
    shell->add_flag("--unset", shell_options->unset, "Go back to .python-version and the global");
    shell->add_option("--emit", shell_options->emit, "Print shell code (used by shell-init)")
        ->check(CLI::IsMember({"sh", "fish"}));
    shell->callback([&context, shell_options] {
        const auto& o = *shell_options;
        if (o.emit.empty())
            throw Error(ErrorCode::usage,
                        "'omni shell' sets OMNI_PYTHON in this shell through the function that "
                        "'omni shell-init' defines, which is not loaded here",
                        "eval \"$(omni shell-init)\" in your shell profile; or set it yourself: "
                        "export OMNI_PYTHON=3.11");
        if (o.unset) {
            fmt::print("{}", emit_unset(o.emit));
            return;
        }
        if (o.request.empty()) {
            const char* value = std::getenv("OMNI_PYTHON");
            fmt::print(stderr, "{}\n",
                       value != nullptr && *value != '\0'
                           ? fmt::format("OMNI_PYTHON={}", value)
                           : std::string("no shell choice; 'omni shell 3.11' makes one"));
            return;
        }
        // The same check as any other choice from the environment: a path
        // must be a known interpreter.
        python::PythonChoice choice{python::PythonChoice::Origin::environment, o.request, {}, 0};
        const auto selection = python::select_chosen(context.registry(), choice);
        fmt::print(stderr, "this shell now uses {}\n", selection.interpreter.describe());
        fmt::print("{}", emit_set(o.emit, o.request));
    });
}

}  // namespace omni::cli
