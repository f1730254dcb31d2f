#pragma once
// Run a script; when it fails for a version or import reason, find what it
// needs, build the bubbles, and run it again with them active. The main env
// is never changed. The library decides; the caller (the CLI) is told what
// happens through HealEvents and prints it.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "omni/bubble/bubble.hpp"
#include "omni/run/analysis.hpp"
#include "omni/run/import_resolution.hpp"
#include "omni/run/runner.hpp"
#include "omni/util/file_lock.hpp"

namespace omni::run {

// heal.new-packages: what to do with a distribution this machine has never
// had (in no env, bubble or cache). Installing by import name is a guess an
// attacker can squat on, so it is not done silently by default.
enum class NewPackagePolicy { ask, allow, deny };

// What the healer needs from the rest of omni.
class HealEnvironment {
  public:
    virtual ~HealEnvironment() = default;
    // Finds or builds the bubble of `requirement` for the current interpreter.
    virtual bubble::BubbleInfo ensure_bubble(const std::string& requirement) = 0;
    // Holds the bubbles of one run for as long as the returned locks live
    // (bubble remove refuses them, prune keeps them); a bubble that went
    // before it was held is built again and replaced in `bubbles`.
    virtual std::vector<FileLock> hold(std::vector<bubble::BubbleInfo>& bubbles) = 0;
    // Whether the distribution is already on this machine.
    virtual bool is_known(std::string_view distribution) = 0;
    // A requirement on a version of finding.requirement that provides
    // finding.module.finding.name, searched newest first within a budget.
    virtual std::optional<std::string> version_providing(const Finding& finding) = 0;
    // An interpreter command (argv[0]) whose version meets `specifier`.
    virtual std::optional<std::string> interpreter_for(std::string_view specifier) = 0;
    // The distribution that provides a top-level module, verified. The
    // default knows only the table of known import names and the name itself.
    virtual ImportResolution provider_of(std::string_view module);
    // The distributions of `requirement`'s whole closure that this machine
    // has never had (transitive ones included). The default knows none.
    virtual std::vector<std::string> new_distributions(const std::string& requirement);
};

struct Fix {
    Finding finding;
    std::string
        requirement;  // what will be installed into a bubble; empty for an interpreter change
    std::string interpreter;  // python_version: the interpreter to run on instead
    bool new_package = false;
    std::vector<std::string> new_distributions;  // every new one, the project's dependencies too
    bool approved = false;
    std::string note;  // why it is not approved or not possible
};

struct HealEvents {
    std::function<void(std::string_view)> stderr_sink;  // the script's stderr, live
    std::function<void(int round, const std::vector<Fix>&)> on_plan;
    std::function<void(const bubble::BubbleInfo&, std::chrono::milliseconds)> on_bubble;
    // Asked once per new distribution when the policy is `ask`.
    std::function<bool(const Fix&)> approve;
};

struct HealOptions {
    int max_rounds = 3;
    bool heal = true;
    bool dry_run = false;  // plan only: nothing is built or re-run
    NewPackagePolicy new_packages = NewPackagePolicy::ask;
    std::vector<bubble::BubbleInfo>
        bubbles;  // active from the first run (PEP 723, remembered heals)
};

struct HealReport {
    int exit_code = 0;
    int rounds = 0;
    bool healed = false;                      // failed at first, passed after healing
    std::string unhealable;                   // why healing stopped, when it did not succeed
    std::vector<Fix> fixes;                   // every fix applied, in order
    std::vector<bubble::BubbleInfo> bubbles;  // active in the last run
    std::vector<std::string> argv;            // of the last run
    std::chrono::milliseconds first_run{0}, analysis{0}, build{0}, rerun{0};
};

HealReport run_with_healing(RunTarget target, HealEnvironment& environment,
                            const HealOptions& options, const HealEvents& events);

}  // namespace omni::run
