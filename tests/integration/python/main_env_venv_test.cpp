// Main envs are the venvs `python -m venv` makes: the same pyvenv.cfg, the
// same links, activate scripts that work, and pip from ensurepip's wheel.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    for (auto pos = text.find(from); pos != std::string::npos;
         pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
    return text;
}

}  // namespace

TEST_CASE("a main env has venv's pyvenv.cfg and links, pip, and working activate scripts") {
    for (const std::string& version : {std::string("3.9"), std::string("3.12")}) {
        INFO(version);
        const auto python = test::pyenv_python(version);
        if (!python)
            continue;
        test::OmniHome home;
        const auto made = home.omni({"--python", version, "list"});
        INFO(made.err);
        REQUIRE(made.ok());
        const auto env = home.root() / "envs" / ("cpython-" + version);
        const auto venv = home.scratch() / "reference";
        REQUIRE(home.run({python->string(), "-m", "venv", venv.string()}).ok());
        // Key for key what venv writes, up to the env's own path.
        CHECK(replaced(fs::read_file(env / "pyvenv.cfg"), env.string(), "ENV") ==
              replaced(fs::read_file(venv / "pyvenv.cfg"), venv.string(), "ENV"));
        for (const auto& name : std::vector<std::string>{"python", "python3", "python" + version})
            CHECK(stdfs::read_symlink(env / "bin" / name) ==
                  stdfs::read_symlink(venv / "bin" / name));
        // pip, from the interpreter's own bundled wheel, as venv installs it.
        const auto pip = home.run({(env / "bin" / "python").string(), "-m", "pip", "--version"});
        INFO(pip.err);
        CHECK(pip.ok());
        const auto reference =
            home.run({(venv / "bin" / "python").string(), "-m", "pip", "--version"});
        CHECK(pip.out.substr(0, pip.out.find(" from ")) ==
              reference.out.substr(0, reference.out.find(" from ")));
        CHECK(stdfs::exists(env / "bin" / ("pip" + version)));

        // bash: activate puts the env first and prefixes the prompt;
        // deactivate restores both.
        const std::string script = fmt::format(
            "PS1='$ '; before=\"$PATH\"\n"
            ". '{0}/bin/activate'\n"
            "command -v python; echo \"$VIRTUAL_ENV|$VIRTUAL_ENV_PROMPT|$PS1\"\n"
            "python -c 'import sys; print(sys.prefix)'\n"
            "deactivate\n"
            "[ \"$PATH\" = \"$before\" ] && echo restored; echo \"${{VIRTUAL_ENV:-unset}}|$PS1\"\n"
            "[ \"$(type -t deactivate)\" = function ] || echo gone\n",
            env.string());
        const auto bash = home.run({"bash", "--norc", "--noprofile", "-c", script});
        INFO(bash.err);
        REQUIRE(bash.ok());
        CHECK(bash.out == fmt::format("{0}/bin/python\n{0}|cpython-{1}|(cpython-{1}) $ \n{0}\n"
                                      "restored\nunset|$ \ngone\n",
                                      env.string(), version));
        // The other shells' scripts parse where the shell is here.
        for (const auto& [shell, file, check] :
             std::vector<std::tuple<std::string, std::string, std::string>>{
                 {"dash", "activate", "-n"},
                 {"zsh", "activate", "-n"},
                 {"fish", "activate.fish", "--no-execute"},
                 {"tcsh", "activate.csh", "-n"}}) {
            if (find_program(shell).empty())
                continue;
            INFO(shell);
            CHECK(home.run({shell, check, (env / "bin" / file).string()}).ok());
        }
        CHECK(fs::read_file(env / "bin" / "Activate.ps1").find("function global:deactivate") !=
              std::string::npos);
    }
}
