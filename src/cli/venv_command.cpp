#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/python/venv.hpp"
#include "omni/util/log.hpp"
#include "omni/util/process.hpp"

namespace omni::cli {

void register_venv_command(CLI::App& app, Context& context) {
    auto* venv = app.add_subcommand(
        "venv", "Create a virtual environment (the layout of python -m venv, without running it)");
    struct Options {
        std::string path = ".venv";
        bool seed = false;
        bool clear = false;
        std::string prompt;
    };
    auto o = std::make_shared<Options>();
    venv->add_option("path", o->path, "Where (default: .venv)");
    venv->add_flag("--seed", o->seed, "Install pip, from the interpreter's own ensurepip wheel");
    venv->add_flag("--clear", o->clear, "Replace the venv that is there");
    venv->add_option("--prompt", o->prompt, "The prompt prefix (default: the directory's name)");
    venv->footer(
        "The interpreter is chosen as for every command: --python X, OMNI_PYTHON, "
        ".python-version, the global choice.");
    venv->callback([&context, o] {
        const auto selection = context.selected_interpreter();
        python::VenvOptions options;
        options.prompt = o->prompt;
        options.with_pip = o->seed;
        const auto created =
            python::create_venv(context.home(), selection.interpreter, o->path, options, o->clear);
        context.say(fmt::format("created {} with {}{}", created.root.string(),
                                selection.interpreter.describe(),
                                created.seeded ? " and pip" : ""));
        context.say(fmt::format("activate it with: . {}",
                                shell_quote((created.root / "bin" / "activate").string())));
    });
}

}  // namespace omni::cli
