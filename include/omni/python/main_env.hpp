#pragma once
// The main environment of an interpreter: a venv at $OMNI_HOME/envs/<key>/
// written by omni itself as `python -m venv` would make it (see venv.hpp),
// with pip from the interpreter's own ensurepip wheel, and no child process.
// Isolated from the base interpreter's packages.
#include <filesystem>
#include <optional>
#include <string>

#include "omni/home/home.hpp"
#include "omni/python/interpreter.hpp"

namespace omni::python {

// envs/<impl>-<X.Y>; when that name already belongs to another interpreter of
// the same X.Y, envs/<impl>-<X.Y>-<8 hex of its path>.
std::filesystem::path main_env_path(const Home& home, const InterpreterInfo& info);

// Creates the main env when missing (single-flight under
// locks/env-<key>.lock, built in staging and published by rename) and returns
// its root. Python 2 has no pyvenv.cfg support: Error(invalid_input).
std::filesystem::path ensure_main_env(const Home& home, const InterpreterInfo& info);

// The env a command acts on: --env PATH, else $VIRTUAL_ENV, else the main env
// of the selected interpreter.
struct TargetEnv {
    std::filesystem::path root;
    std::filesystem::path python;  // root/bin/python
    enum class Origin { option, virtual_env, main } origin = Origin::main;
};

struct TargetEnvInputs {
    std::optional<std::filesystem::path> env_option;   // --env
    std::optional<std::filesystem::path> virtual_env;  // $VIRTUAL_ENV
};

// Throws Error(not_found) when the named env has no bin/python and pyvenv.cfg.
TargetEnv select_target_env(const Home& home, const InterpreterInfo& interpreter,
                            const TargetEnvInputs& inputs);

}  // namespace omni::python
