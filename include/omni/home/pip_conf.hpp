#pragma once
// pip's configuration files (pip.conf): where pip looks for them and what
// their [global] and [install] sections say. The files are the user's, and
// untrusted: a file that does not parse is one error naming it and the line.
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "omni/util/error.hpp"

namespace omni {

using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// The process environment (an empty value counts as unset).
EnvLookup process_environment();

// pip's files in the order pip reads them, later ones overriding earlier:
// $XDG_CONFIG_DIRS/pip/pip.conf (default /etc/xdg), /etc/pip.conf,
// ~/.pip/pip.conf, $XDG_CONFIG_HOME/pip/pip.conf (default ~/.config),
// $VIRTUAL_ENV/pip.conf, then $PIP_CONFIG_FILE. PIP_CONFIG_FILE=/dev/null
// (pip's os.devnull) turns every file off. Missing files are listed too.
std::vector<std::filesystem::path> pip_conf_locations(const EnvLookup& env);

// One value and where it was set: "/etc/pip.conf:4 [global] index-url".
struct PipConfValue {
    std::string value;
    std::string origin;
};

// Key (as pip spells it, `_` read as `-`) -> value. [install] overrides
// [global]; a later file overrides an earlier one. Throws Error(invalid_input)
// naming the file and line for a line that is not `key = value`, a
// continuation or a comment, and for a file over 1 MiB.
std::map<std::string, PipConfValue> read_pip_conf(const std::vector<std::filesystem::path>& files);

}  // namespace omni
