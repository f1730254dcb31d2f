#pragma once
// What every subcommand shares: global options and the home, opened lazily
// so that `omni --version` touches nothing on disk.
#include <optional>
#include <string>
#include <vector>

#include "omni/bubble/provision.hpp"
#include "omni/home/home.hpp"
#include "omni/index/index_client.hpp"
#include "omni/python/main_env.hpp"
#include "omni/python/registry.hpp"

namespace omni::cli {

struct GlobalOptions {
    int verbosity = 0;  // -v count
    bool quiet = false;
    std::string color = "auto";  // --color auto|always|never
    std::string log_file;
    std::string python;  // --python REQUEST: this command only
    std::string env;     // --env PATH: act on this venv
    // Package sources, in pip's words; they override config and OMNI_INDEX_URL.
    std::string index_url;
    std::vector<std::string> extra_index_urls;
    std::vector<std::string> find_links;
    bool no_index = false;
    bool offline = false;
    // exec / run: the program's own command line (see passthrough.hpp).
    std::vector<std::string> passthrough;
};

// Thrown by a command that ran a child, to end omni with the child's status.
struct ChildExit {
    int code;
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
    // The index client for the sources above (config and environment first).
    const IndexClient& index();
    // Everything provisioning needs: home, index, interpreter, target env.
    bubble::ProvisionContext provision();

  private:
    std::optional<Home> home_;
    std::optional<python::Registry> registry_;
    std::optional<IndexClient> index_;
};

}  // namespace omni::cli
