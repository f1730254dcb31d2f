#pragma once
// The distributions installed in one library directory (site-packages or a
// bubble), read from their .dist-info directories, and their removal.
#include <filesystem>
#include <string>
#include <vector>

namespace omni::install {

struct InstalledDist {
    std::string name;     // normalized
    std::string version;  // as in the dist-info name
    std::filesystem::path dist_info;
    std::vector<std::string> import_names;
};

std::vector<InstalledDist> list_installed(const std::filesystem::path& library);

// Removes what the distribution's RECORD lists, and only paths inside
// `env_root`; lines that point elsewhere are skipped and returned.
std::vector<std::string> uninstall(const InstalledDist& dist, const std::filesystem::path& library,
                                   const std::filesystem::path& env_root);

}  // namespace omni::install
