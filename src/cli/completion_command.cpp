// Shell completion generated from the command definitions themselves, so it
// never drifts from what omni accepts.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"

namespace omni::cli {

namespace {

struct Command {
    std::string path;                // "python list"
    std::vector<std::string> words;  // subcommands and options completing after it
};

void collect(CLI::App* app, const std::string& path, std::vector<Command>& out) {
    Command c{path, {}};
    for (auto* sub : app->get_subcommands([](CLI::App*) { return true; }))
        c.words.push_back(sub->get_name());
    for (const auto* opt : app->get_options()) {
        for (const auto& name : opt->get_lnames())
            c.words.push_back("--" + name);
        for (const auto& name : opt->get_snames())
            c.words.push_back("-" + name);
    }
    out.push_back(c);
    for (auto* sub : app->get_subcommands([](CLI::App*) { return true; }))
        collect(sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

std::string bash(const std::vector<Command>& commands) {
    std::string cases, names;
    for (const auto& c : commands) {
        cases += fmt::format("        \"{}\") words=\"{}\" ;;\n", c.path, fmt::join(c.words, " "));
        if (!c.path.empty())
            names += " " + c.path.substr(c.path.rfind(' ') + 1);
    }
    return fmt::format(R"sh(# omni completion for bash: eval "$(omni completion bash)"
_omni() {{
    local cur path="" word words names="{} "
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    # The command path is the subcommand names typed so far; option values are skipped.
    for word in "${{COMP_WORDS[@]:1:COMP_CWORD-1}}"; do
        case "$names" in *" $word "*) path="${{path:+$path }}$word" ;; esac
    done
    case "$path" in
{}        *) words="" ;;
    esac
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
complete -o default -F _omni omni
)sh",
                       names, cases);
}

std::string zsh(const std::vector<Command>& commands) {
    return "# omni completion for zsh: eval \"$(omni completion zsh)\"\nautoload -U +X "
           "bashcompinit && bashcompinit\n" +
           bash(commands);
}

std::string fish(const std::vector<Command>& commands) {
    std::string out = "# omni completion for fish: omni completion fish | source\n";
    for (const auto& c : commands) {
        const std::string condition = c.path.empty()
                                          ? "__fish_use_subcommand"
                                          : fmt::format("__fish_seen_subcommand_from {}",
                                                        c.path.substr(c.path.rfind(' ') + 1));
        for (const auto& w : c.words) {
            if (w.starts_with("--"))
                out += fmt::format("complete -c omni -n '{}' -l {}\n", condition, w.substr(2));
            else if (w.starts_with("-"))
                out += fmt::format("complete -c omni -n '{}' -s {}\n", condition, w.substr(1));
            else
                out += fmt::format("complete -c omni -f -n '{}' -a {}\n", condition, w);
        }
    }
    return out;
}

}  // namespace

void register_completion_command(CLI::App& app, Context&) {
    auto* completion =
        app.add_subcommand("completion", "Print shell completion for bash, zsh or fish");
    auto shell = std::make_shared<std::string>();
    completion->add_option("shell", *shell, "bash, zsh or fish")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish"}));
    completion->callback([&app, shell] {
        std::vector<Command> commands;
        collect(&app, "", commands);
        if (*shell == "bash")
            fmt::print("{}", bash(commands));
        else if (*shell == "zsh")
            fmt::print("{}", zsh(commands));
        else
            fmt::print("{}", fish(commands));
    });
}

}  // namespace omni::cli
