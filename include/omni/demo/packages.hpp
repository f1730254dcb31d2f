#pragma once
// The demo packages (demos/packages.toml, compiled into omni) as a
// find-links directory of wheels, built once per content and cached.
#include <filesystem>
#include <string>
#include <vector>

#include "omni/demo/wheel_builder.hpp"
#include "omni/home/home.hpp"

namespace omni::demo {

// Every release of every demo package, parsed from the embedded TOML.
std::vector<WheelSource> demo_packages();

// $OMNI_HOME/demo/wheels/<hash>/ with one wheel per release; built in
// staging and published by rename the first time.
std::filesystem::path ensure_demo_wheels(const Home& home);

}  // namespace omni::demo
