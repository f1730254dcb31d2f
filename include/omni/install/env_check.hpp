#pragma once
// What `omni doctor` checks in an env: an interrupted change (a journal),
// dist-info without RECORD, files RECORD lists that are missing and, when
// deep, files whose hash no longer matches RECORD (edited in place, or
// through a hard link shared with the cache).
#include <filesystem>
#include <string>
#include <vector>

#include "omni/install/installed.hpp"

namespace omni::install {

struct DamagedDist {
    InstalledDist dist;
    std::vector<std::string> missing;   // RECORD paths
    std::vector<std::string> modified;  // RECORD paths whose hash or size differs
};

struct EnvReport {
    std::filesystem::path env_root;
    bool pending_journal = false;
    std::vector<InstalledDist> phantoms;
    std::vector<DamagedDist> damaged;
    std::size_t distributions = 0;
    bool ok() const { return !pending_journal && phantoms.empty() && damaged.empty(); }
};

EnvReport check_env(const std::filesystem::path& env_root, const std::filesystem::path& library,
                    bool deep);

}  // namespace omni::install
