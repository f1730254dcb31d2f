#pragma once
// What every subcommand shares: global options and the home, opened lazily
// so that `omni --version` touches nothing on disk.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/bubble/provision.hpp"
#include "omni/home/home.hpp"
#include "omni/home/settings.hpp"
#include "omni/index/index_client.hpp"
#include "omni/index/progress.hpp"
#include "omni/python/main_env.hpp"
#include "omni/python/registry.hpp"

namespace omni::cli {

class ActivityLine;

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
    std::string cert;   // --cert PATH: CA bundle
    std::string proxy;  // --proxy URL
    // Command-line values of other settings (e.g. install.pre from --pre).
    std::map<std::string, nlohmann::json> more_settings;
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
    // Chosen once per command (and logged once with -v).
    python::Selection selected_interpreter();
    // The env to act on: --env > $VIRTUAL_ENV > the selected interpreter's main env.
    python::TargetEnv target_env();
    // The interpreter that installs into `target` resolve for: a named venv's
    // own interpreter, else the selected one.
    python::InterpreterInfo target_interpreter(const python::TargetEnv& target);
    // Every setting with its origin: this command line, OMNI_*, config,
    // PIP_*/UV_*, pip.conf (see omni/home/settings.hpp). Read once.
    const Settings& settings();
    // The index client for those settings.
    const IndexClient& index();
    // Everything provisioning needs: home, index, interpreter, target env.
    bubble::ProvisionContext provision();
    // A line on stdout saying what a command did; nothing with -q (which
    // prints only errors). A command's answer (a list, a path) is printed
    // whatever -q says.
    void say(std::string_view line) const;
    // The last progress event of the index (its summary line), once.
    void finish_progress();
    // A command that draws its own live line (the matrix) calls this first:
    // index and provisioning progress are no longer drawn over it.
    void own_the_terminal_line();

  private:
    python::Selection choose_interpreter();
    std::shared_ptr<ActivityLine> activity();

    std::optional<Home> home_;
    std::optional<python::Registry> registry_;
    std::optional<python::Selection> selection_;  // chosen once per command
    std::optional<Settings> settings_;
    std::optional<IndexClient> index_;
    std::shared_ptr<IndexMeter> meter_;
    std::shared_ptr<ActivityLine> activity_;
};

}  // namespace omni::cli
