#pragma once
// The distributions installed in one library directory (site-packages or a
// bubble), read from their .dist-info directories. Removal is a change of
// the env: env_transaction.hpp.
#include <filesystem>
#include <string>
#include <vector>

namespace omni::install {

struct InstalledDist {
    std::string name;     // normalized
    std::string version;  // as in the dist-info name
    std::filesystem::path dist_info;
    std::vector<std::string> import_names;
    bool phantom = false;  // a dist-info without RECORD: left by a crash, not installed
};

// The installed distributions: dist-info directories with a RECORD.
std::vector<InstalledDist> list_installed(const std::filesystem::path& library);
// Dist-info directories without RECORD, which no install completed.
std::vector<InstalledDist> list_phantoms(const std::filesystem::path& library);

}  // namespace omni::install
