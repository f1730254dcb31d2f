#pragma once
// The envs `omni doctor` checks and `--repair` repairs: every main env under
// envs/ (with the registered interpreter it belongs to, when there is one),
// the target env, and every bubble of the store.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "omni/bubble/provision.hpp"
#include "omni/python/interpreter.hpp"

namespace omni::bubble {

struct DoctorEnv {
    std::filesystem::path root;     // the env's root, or the bubble's directory
    std::filesystem::path library;  // its site-packages (a bubble's own directory)
    std::optional<python::InterpreterInfo> interpreter;  // installs into it, when known
    std::optional<BubbleInfo> bubble;                    // set for a bubble
    bool target = false;                                 // the env the command targets
};

// Envs first (sorted, the target among them or last), then bubbles.
// `target` is the command's target env, when it has one.
std::vector<DoctorEnv> doctor_envs(const Home& home,
                                   const std::vector<python::InterpreterInfo>& interpreters,
                                   const ProvisionContext* target);

// --repair for one of them, each fix a transaction of its own: an env
// through repair_env with its own interpreter's context (journals, phantoms,
// damaged distributions reinstalled); a damaged bubble rebuilt and swapped in
// whole (repair_bubble), or named in not_repaired when it is in use or its
// interpreter is not known.
RepairOutcome repair_doctor_env(const Home& home, const IndexClient& index, const DoctorEnv& env);

}  // namespace omni::bubble
