#pragma once
// What the demos share: picking interpreters, provisioning them, timing.
#include <chrono>
#include <string>
#include <vector>

#include "omni/bubble/provision.hpp"
#include "omni/demo/demos.hpp"
#include "omni/util/process.hpp"

namespace omni::demo {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}
std::string ms(double seconds);

// Up to `count` interpreters, taking those of `wanted` that exist first and
// then the newest others; says which were used when they differ.
std::vector<python::InterpreterInfo> pick_interpreters(DemoContext& context,
                                                       const std::vector<std::string>& wanted,
                                                       std::size_t count);

// The main env (with omni_loader) of an interpreter, ready to provision.
bubble::ProvisionContext provision(DemoContext& context,
                                   const python::InterpreterInfo& interpreter);

// Runs the env's python with `code`, bubbles active.
ProcessResult run_python(const bubble::ProvisionContext& context,
                         const std::vector<bubble::BubbleInfo>& bubbles, const std::string& code,
                         const std::vector<std::string>& args = {});

DemoResult run_multiverse(DemoContext& context);
DemoResult run_pipeline(DemoContext& context);
DemoResult run_healing(DemoContext& context);
DemoResult run_matrix(DemoContext& context);
DemoResult run_loader(DemoContext& context);

}  // namespace omni::demo
