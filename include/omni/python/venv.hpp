#pragma once
// A virtual environment written directly, with the layout `python -m venv`
// gives: pyvenv.cfg with venv's keys for that Python, bin/python3.X linked to
// the base interpreter and python, python3 linked to it, lib/pythonX.Y/
// site-packages, lib64 -> lib, include/, and activate scripts for bash/zsh,
// fish, csh and PowerShell. No child process.
#include <filesystem>
#include <functional>
#include <string>

#include "omni/home/home.hpp"
#include "omni/python/interpreter.hpp"

namespace omni::python {

struct VenvOptions {
    std::string prompt;     // empty: the directory's name, as venv does
    bool with_pip = false;  // recorded in pyvenv.cfg's command line (3.11+)
};

// The interpreter a venv links to: a venv's python leads to its base.
std::filesystem::path base_executable(const InterpreterInfo& info);

// Writes the venv into `dir` (empty or missing), which will be published at
// `final_root`: paths inside the files name `final_root`.
void write_venv(const std::filesystem::path& dir, const std::filesystem::path& final_root,
                const InterpreterInfo& info, const VenvOptions& options);

struct CreatedVenv {
    std::filesystem::path root;
    bool seeded = false;  // pip was installed
};

// `omni venv`: writes a venv at `target` (built beside it and renamed into
// place), with pip when options.with_pip. An existing path is refused unless
// `clear` and it is a venv, which is then replaced whole.
CreatedVenv create_venv(const Home& home, const InterpreterInfo& info,
                        const std::filesystem::path& target, const VenvOptions& options,
                        bool clear);

// The text of pyvenv.cfg, key for key what venv writes for this Python.
std::string pyvenv_cfg_text(const InterpreterInfo& info, const std::filesystem::path& final_root,
                            bool with_pip);

// The activation scripts: bin/activate, activate.fish, activate.csh,
// Activate.ps1.
std::string activate_sh(const std::filesystem::path& root, const std::string& prompt);
std::string activate_fish(const std::filesystem::path& root, const std::string& prompt);
std::string activate_csh(const std::filesystem::path& root, const std::string& prompt);
std::string activate_ps1(const std::filesystem::path& root, const std::string& prompt);

// Puts pip into a venv before it is published: set once at start-up by the
// layers that can install wheels (the python module cannot). Without one,
// envs have no pip. Returns false when there was no pip to install.
using VenvSeeder =
    std::function<bool(const Home& home, const InterpreterInfo& info,
                       const std::filesystem::path& dir, const std::filesystem::path& final_root)>;
void set_venv_seeder(VenvSeeder seeder);
// Runs the seeder; false when none is set or it had no pip.
bool seed_venv(const Home& home, const InterpreterInfo& info, const std::filesystem::path& dir,
               const std::filesystem::path& final_root);

}  // namespace omni::python
