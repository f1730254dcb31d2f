#pragma once
// What healed a script, kept under $OMNI_HOME/heals/<sha256 of the script>.json,
// so that the next run of the same content activates those bubbles first.
#include <optional>
#include <string>
#include <vector>

#include "omni/home/home.hpp"

namespace omni::run {

struct HealMemory {
    std::string interpreter;  // the env python the script ran on last
    std::vector<std::string> requirements;
};

std::optional<HealMemory> recall_heal(const Home& home, const std::string& script_sha256);
void remember_heal(const Home& home, const std::string& script_sha256, const HealMemory& memory);

}  // namespace omni::run
