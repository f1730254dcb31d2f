#pragma once
// What an env holds, as pip shows it: `pip freeze` lines and the rows of
// `pip list` (its freeze, json and columns formats). Names are taken from
// each distribution's METADATA as written; direct_url.json (PEP 610) gives
// the `-e` and `name @ URL` lines where pip writes them.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "omni/bubble/bubble.hpp"

namespace omni::lock {

struct EnvDist {
    std::string name;        // as in METADATA ("Pygments")
    std::string normalized;  // "pygments"
    std::string version;
    // From direct_url.json, when it is there and readable.
    std::string direct_url;              // "file:///src/pkg", "file:///w/a-1.0-py3-none-any.whl"
    std::string direct_hash;             // "sha256=..." of an archive
    bool editable = false;               // dir_info.editable
    std::filesystem::path editable_dir;  // the project directory of an editable
    std::string vcs;                     // "git" etc.
    std::string vcs_commit;
    std::string subdirectory;
};

// Every installed distribution of a library directory, sorted by normalized name.
std::vector<EnvDist> read_env(const std::filesystem::path& library);

struct FreezeOptions {
    bool all = false;       // also pip, setuptools, wheel, distribute
    int python_minor = 12;  // below 3.12 pip also hides setuptools, wheel, distribute
};

// Whether pip's freeze leaves this distribution out unless --all.
bool hidden_by_freeze(const EnvDist& dist, const FreezeOptions& options);

// The lines of `pip freeze` for the env (comments included), in pip's order.
std::vector<std::string> freeze_lines(const std::vector<EnvDist>& dists,
                                      const FreezeOptions& options);

// `# bubbles of cpython-3.11` and one commented block per bubble: its
// requirement and closure as name==version lines (comments, so the output
// stays a valid requirements file for pip).
std::vector<std::string> freeze_bubble_lines(const std::vector<bubble::BubbleInfo>& bubbles);

// pip list: `--format columns` (a header, dashes, padded columns) and
// `--format json` ([{"name", "version"[, "editable_project_location"]}]).
std::string list_columns(const std::vector<EnvDist>& dists);
std::string list_json(const std::vector<EnvDist>& dists);
// `pip list --format freeze`: name==version for every distribution.
std::vector<std::string> list_freeze_lines(const std::vector<EnvDist>& dists);

}  // namespace omni::lock
