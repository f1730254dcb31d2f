#pragma once
// Installing an unpacked wheel into a target: files are hard-linked from
// the unpacked cache (copied where links are impossible), scripts get their
// shebang, entry points get launchers, and the dist-info gets INSTALLER,
// REQUESTED and a RECORD of what was installed. A failure removes every
// file this install created.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/install/unpacked_wheel.hpp"

namespace omni::install {

struct InstallTarget {
    std::filesystem::path purelib;
    std::filesystem::path platlib;
    std::filesystem::path scripts;
    std::filesystem::path data;
    std::filesystem::path headers;  // headers/<project>/ goes below this
    std::filesystem::path python;   // the interpreter scripts run with
    std::string python_x_y;         // its version, "3.11": pip3.X launchers are named after it

    // A bubble: everything importable at its root, scripts in bin/.
    static InstallTarget bubble(const std::filesystem::path& root,
                                const std::filesystem::path& python, const std::string& python_x_y);
    // A venv (a main env): lib/pythonX.Y/site-packages, bin/, include/.
    static InstallTarget venv(const std::filesystem::path& root, const std::string& python_x_y);
};

// How files get from the unpacked cache into a target, as uv names them.
// automatic: clone (reflink) where the file system can, else hard link, else
// copy; the first file decides for the rest.
enum class LinkMode { automatic, clone, hardlink, copy, symlink };

// "clone", "hardlink", "copy", "symlink" (or "auto"); `source` names where
// the text came from for the error.
LinkMode parse_link_mode(std::string_view text, std::string_view source);
// --link-mode (when not empty) > OMNI_LINK_MODE > config install.link-mode >
// automatic.
LinkMode choose_link_mode(const std::string& flag, const Home& home);
std::string_view to_string(LinkMode mode);

struct InstallOptions {
    bool requested = true;                  // write REQUESTED
    std::optional<std::string> direct_url;  // direct_url.json content, for local files and URLs
    LinkMode link_mode = LinkMode::automatic;
};

// Places files from the cache with one link mode; in automatic mode the
// first file decides.
class Linker {
  public:
    explicit Linker(LinkMode mode) : mode_(mode) {}
    void place(const std::filesystem::path& from, const std::filesystem::path& to);
    LinkMode mode() const { return mode_; }

  private:
    int attempt(const std::filesystem::path& from, const std::filesystem::path& to);
    LinkMode mode_;
};

struct InstalledDistribution {
    std::string name;
    std::string version;
    std::vector<std::string> import_names;
    std::vector<std::filesystem::path> files;  // absolute, as installed
};

// One file an install creates: linked from the unpacked tree (`source`), or
// written with `content` (scripts, launchers, INSTALLER, RECORD...).
struct PlannedFile {
    std::filesystem::path dest;    // absolute
    std::filesystem::path source;  // empty: write `content`
    std::string content;
    unsigned mode = 0644;
};

// Every file installing `wheel` into `target` creates, computed without
// touching the target: the package's files first, then its dist-info, RECORD
// last of all (a dist-info without RECORD is not an installed distribution).
struct WheelPlan {
    std::string name;
    std::string version;
    std::vector<std::string> import_names;
    std::filesystem::path dist_info;  // absolute
    std::vector<PlannedFile> files;
};
WheelPlan plan_wheel(const UnpackedWheel& wheel, const InstallTarget& target,
                     const InstallOptions& options = {});

// Creates one planned file; refuses a path that exists.
void create_planned_file(const PlannedFile& file, Linker& linker);

// Installs into a fresh tree (a bubble or a build env in staging): a
// failure removes every file this install created. Environments others use
// are changed through env_transaction.hpp instead.
InstalledDistribution install_wheel(const UnpackedWheel& wheel, const InstallTarget& target,
                                    const InstallOptions& options = {});

// direct_url.json for a local wheel file.
std::string direct_url_for_file(const std::filesystem::path& wheel, const std::string& sha256);

}  // namespace omni::install
