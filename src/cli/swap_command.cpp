#include <cstdlib>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/python_install.hpp"
#include "cli/self.hpp"
#include "omni/bubble/loader.hpp"
#include "omni/python/choice.hpp"
#include "omni/python/main_env.hpp"
#include "omni/python/swap.hpp"

namespace omni::cli {

namespace {

std::string shell_name() {
    const char* shell = std::getenv("SHELL");
    return shell == nullptr ? "bash" : std::filesystem::path(shell).filename().string();
}

void print_current(Context& context) {
    python::ChoiceInputs inputs;
    if (const char* env = std::getenv("OMNI_PYTHON"))
        inputs.environment = env;
    if (!context.options.python.empty())
        inputs.option = context.options.python;
    inputs.cwd = std::filesystem::current_path();
    const auto choice = python::current_choice(context.home(), inputs);
    if (!choice) {
        fmt::print("no python chosen yet; 'omni swap python 3.X' chooses one\n");
        return;
    }
    const auto selection = context.selected_interpreter();
    std::string from(python::to_string(choice->origin));
    if (!choice->file.empty())
        from += " " + choice->file.string();
    fmt::print("{} (from {})\n", selection.interpreter.describe(), from);
}

}  // namespace

void register_swap_command(CLI::App& app, Context& context) {
    auto* swap = app.add_subcommand("swap", "Change the active interpreter");
    swap->require_subcommand(1);

    struct Options {
        std::string request;
        bool local = false;
        bool yes = false;
    };
    auto options = std::make_shared<Options>();

    auto* python =
        swap->add_subcommand("python", "Make REQUEST the python on PATH (via $OMNI_HOME/bin)");
    python->add_option("request", options->request,
                       "3.11, cpython@3.12, >=3.10 or a path; none: show");
    python->add_flag("--local", options->local,
                     "Write .python-version here instead of the global choice");
    python->add_flag("-y,--yes", options->yes,
                     "Install REQUEST from python-build-standalone when it is missing");
    python->callback([&context, options] {
        if (options->request.empty()) {
            print_current(context);
            return;
        }
        auto request = python::PythonRequest::parse(options->request);
        if (!request)
            throw request.error();
        const auto& home = context.home();
        install_missing_python(context, *request, options->yes);
        if (options->local) {
            auto selection = context.registry().find(*request);
            bubble::ensure_loader(python::ensure_main_env(home, selection.interpreter), home);
            const auto& info = selection.interpreter;
            // pyenv's convention: a version name, or a path for a path request.
            const std::string text = request->is_path()
                                         ? info.path.string()
                                         : info.version.str() + (info.free_threaded ? "t" : "");
            refresh_shims(home);
            python::write_version_file(std::filesystem::current_path(), text);
            context.say(fmt::format("wrote {} ({}) to ./{}", text, info.describe(),
                                    python::version_file_name));
            return;
        }
        const auto outcome = python::swap_python(home, context.registry(), *request);
        bubble::ensure_loader(outcome.env, home);
        refresh_shims(home);
        context.say(fmt::format("python is now {}", outcome.selection.interpreter.describe()));
        if (!python::on_path(home.bin_dir()))
            context.say(fmt::format("{} is not on PATH; add this line to your shell profile:\n  {}",
                                    home.bin_dir().string(),
                                    python::shell_path_line(home, shell_name())));
    });
}

}  // namespace omni::cli
