#pragma once
// Installing an unpacked wheel into a target: files are hard-linked from
// the unpacked cache (copied where links are impossible), scripts get their
// shebang, entry points get launchers, and the dist-info gets INSTALLER,
// REQUESTED and a RECORD of what was installed. A failure removes every
// file this install created.
#include <filesystem>
#include <optional>
#include <string>
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

struct InstallOptions {
    bool requested = true;                  // write REQUESTED
    std::optional<std::string> direct_url;  // direct_url.json content, for local files and URLs
};

struct InstalledDistribution {
    std::string name;
    std::string version;
    std::vector<std::string> import_names;
    std::vector<std::filesystem::path> files;  // absolute, as installed
};

InstalledDistribution install_wheel(const UnpackedWheel& wheel, const InstallTarget& target,
                                    const InstallOptions& options = {});

// direct_url.json for a local wheel file.
std::string direct_url_for_file(const std::filesystem::path& wheel, const std::string& sha256);

}  // namespace omni::install
