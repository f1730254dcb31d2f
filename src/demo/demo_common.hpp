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

// The top-level module of distribution `name`: the first of its import
// names, else its normalized name with '-' as '_'.
std::string module_name(const std::string& name, const std::vector<std::string>& import_names);
// The top-level module of distribution `name` in a bubble.
std::string module_in(const bubble::BubbleInfo& bubble, const std::string& name);
// Python that prints "<X.Y> <installed version of dist> <module file>".
std::string version_probe(const std::string& dist, const std::string& module);

DemoResult run_multiverse(DemoContext& context);
DemoResult run_pipeline(DemoContext& context);
DemoResult run_healing(DemoContext& context);
DemoResult run_matrix(DemoContext& context);
DemoResult run_loader(DemoContext& context);
DemoResult run_stress(DemoContext& context);

}  // namespace omni::demo
