#include "omni/install/installed.hpp"

#include <algorithm>
#include <set>

#include "install/wheel_checks.hpp"
#include "omni/standards/name.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::install {

namespace stdfs = std::filesystem;

std::vector<InstalledDist> list_installed(const stdfs::path& library) {
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
        InstalledDist dist{standards::normalize_name(stem.substr(0, dash)),
                           stem.substr(dash + 1),
                           entry.path(),
                           {}};
        if (stdfs::exists(entry.path() / "top_level.txt", ec))
            dist.import_names = read_lines(entry.path() / "top_level.txt");
        out.push_back(std::move(dist));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

std::vector<std::string> uninstall(const InstalledDist& dist, const stdfs::path& library,
                                   const stdfs::path& env_root) {
    const auto root = stdfs::weakly_canonical(env_root);
    const auto rows =
        parse_record(fs::read_file(dist.dist_info / "RECORD"), dist.dist_info.string());
    std::vector<std::string> refused;
    std::set<stdfs::path> dirs;
    for (const auto& row : rows) {
        const auto path = stdfs::weakly_canonical(library / row.path);
        const auto rel = path.lexically_relative(root);
        if (rel.empty() || rel.native().starts_with("..") || stdfs::path(row.path).is_absolute()) {
            refused.push_back(row.path);
            logger().warn("not removing '{}' listed by {}: outside {}", row.path,
                          dist.dist_info.string(), root.string());
            continue;
        }
        std::error_code ec;
        stdfs::remove(path, ec);
        if (path.extension() == ".py") {
            // Byte code Python wrote for it.
            const auto cache = path.parent_path() / "__pycache__";
            for (const auto& pyc : stdfs::directory_iterator(cache, ec))
                if (pyc.path().filename().string().starts_with(path.stem().string() + "."))
                    stdfs::remove(pyc.path(), ec);
            dirs.insert(cache);
        }
        dirs.insert(path.parent_path());
    }
    // Directories left empty go too, deepest first.
    std::vector<stdfs::path> ordered(dirs.begin(), dirs.end());
    std::sort(ordered.begin(), ordered.end(),
              [](const auto& a, const auto& b) { return a.native().size() > b.native().size(); });
    for (const auto& dir : ordered) {
        std::error_code ec;
        for (auto d = dir; d.native().size() > root.native().size() && stdfs::is_empty(d, ec);
             d = d.parent_path())
            stdfs::remove(d, ec);
    }
    return refused;
}

}  // namespace omni::install
