#pragma once
// What every subcommand shares: global options and the home, opened lazily
// so that `omni --version` touches nothing on disk.
#include <optional>
#include <string>

#include "omni/home/home.hpp"
#include "omni/python/main_env.hpp"
#include "omni/python/registry.hpp"

namespace omni::cli {

struct GlobalOptions {
    int verbosity = 0;  // -v count
    bool quiet = false;
    std::string log_file;
    std::string python;  // --python REQUEST: this command only
    std::string env;     // --env PATH: act on this venv
};

class Context {
  public:
    GlobalOptions options;

    // The home with its layout created and stale staging removed.
    const Home& home();

    // The interpreter registry, refreshed once per command.
    python::Registry& registry();
    // The selected interpreter: --python > $OMNI_PYTHON > .python-version >
    // the global choice; with none of them, the best Python 3 available.
    python::Selection selected_interpreter();
    // The env to act on: --env > $VIRTUAL_ENV > the selected interpreter's main env.
    python::TargetEnv target_env();

private:
    std::optional<Home> home_;
    std::optional<python::Registry> registry_;
};

}  // namespace omni::cli
