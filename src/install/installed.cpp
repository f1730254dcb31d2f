#include "omni/install/installed.hpp"

#include <algorithm>
#include <set>

#include "install/wheel_checks.hpp"
#include "omni/standards/name.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::install {

namespace stdfs = std::filesystem;

namespace {

std::vector<InstalledDist> scan(const stdfs::path& library, bool phantoms) {
    std::vector<InstalledDist> out;
    std::error_code ec;
    for (const auto& entry : stdfs::directory_iterator(library, ec)) {
        const auto name = entry.path().filename().string();
        if (!name.ends_with(".dist-info") || !entry.is_directory())
            continue;
        const auto stem = name.substr(0, name.size() - std::string(".dist-info").size());
        const auto dash = stem.find('-');
        if (dash == std::string::npos)
            continue;
        const bool phantom = !stdfs::exists(entry.path() / "RECORD", ec);
        if (phantom != phantoms)
            continue;
        InstalledDist dist{standards::normalize_name(stem.substr(0, dash)),
                           stem.substr(dash + 1),
                           entry.path(),
                           {},
                           phantom};
        if (!phantom && stdfs::exists(entry.path() / "top_level.txt", ec))
            dist.import_names = read_lines(entry.path() / "top_level.txt");
        out.push_back(std::move(dist));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

}  // namespace

std::vector<InstalledDist> list_installed(const stdfs::path& library) {
    return scan(library, false);
}

std::vector<InstalledDist> list_phantoms(const stdfs::path& library) {
    return scan(library, true);
}

}  // namespace omni::install
