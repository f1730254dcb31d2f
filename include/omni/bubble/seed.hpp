#pragma once
// pip for new venvs, offline: the wheel the interpreter ships for ensurepip
// (<stdlib>/ensurepip/_bundled/pip-*.whl), installed like any other wheel.
#include <filesystem>
#include <optional>

#include "omni/home/home.hpp"
#include "omni/python/interpreter.hpp"

namespace omni::bubble {

// The interpreter's bundled pip wheel; nullopt when it has none (Debian's
// python3 without python3-venv, for one).
std::optional<std::filesystem::path> bundled_pip_wheel(const python::InterpreterInfo& info);

// Installs that pip into the venv being built in `dir` (scripts name
// `final_root`'s python). Returns false when there is no wheel.
bool seed_pip(const Home& home, const python::InterpreterInfo& info,
              const std::filesystem::path& dir, const std::filesystem::path& final_root);

// Makes every venv omni creates from now on get pip (python::set_venv_seeder).
void install_pip_seeder();

}  // namespace omni::bubble
