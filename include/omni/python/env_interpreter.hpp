#pragma once
// The interpreter of an existing venv (--env PATH, $VIRTUAL_ENV): a venv runs
// the base interpreter its bin/python leads to, so installing into it means
// resolving for that interpreter (version, markers, tags), not for the one
// selected for the command.
#include <filesystem>

#include "omni/python/main_env.hpp"
#include "omni/python/registry.hpp"

namespace omni::python {

// The registry's entry for the interpreter behind `env`'s bin/python: the
// base interpreter it links to, queried and cached like any other (adopted
// when the registry does not know it). A venv with a copied python is queried
// by its own path. Throws Error(invalid_input) naming the env when its python
// does not run.
InterpreterInfo env_interpreter(Registry& registry, const TargetEnv& env);

}  // namespace omni::python
