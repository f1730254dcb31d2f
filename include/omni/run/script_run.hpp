#pragma once
// What `omni run ARGS...` runs, prepared before the first run: a script file
// (its PEP 723 `dependencies` become bubbles active from the start - the
// script's author declared them, so they install without a prompt, as uv
// does - its `requires-python` picks the interpreter, and what healed the
// same content before is active again), `-m MODULE`/`-c CODE`, or a console
// tool of the env. After a healed run, what healed it is remembered.
#include <functional>
#include <string>
#include <vector>

#include "omni/home/home.hpp"
#include "omni/run/healer.hpp"
#include "omni/run/provisioned_environment.hpp"

namespace omni::run {

struct PreparedRun {
    RunTarget target;
    std::string source;                       // the script's text ("" for -m, -c and tools)
    std::vector<bubble::BubbleInfo> bubbles;  // active from the first run
};

// `say` hears each decision ("bubble rich==13.4.2 for the script's
// dependency rich==13.4.2"). With `dry_run`, nothing is built: bubbles that
// exist are used, the rest are named. Error(usage) without arguments,
// Error(not_found) for a name that is neither a file nor a tool.
PreparedRun prepare_run(const std::vector<std::string>& arguments,
                        ProvisionedEnvironment& environment, const Home& home, bool dry_run,
                        const std::function<void(const std::string&)>& say);

// Remembers the requirements that healed the script (by content hash).
void remember_success(const Home& home, const PreparedRun& run, const HealReport& report);

}  // namespace omni::run
