#include "omni/run/import_resolution.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "omni/bubble/store.hpp"
#include "omni/import_names_txt.hpp"
#include "omni/install/installed.hpp"
#include "omni/install/unpacked_wheel.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/version.hpp"
#include "omni/standards/wheel_name.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::run {

namespace stdfs = std::filesystem;

namespace {

const std::map<std::string, std::string, std::less<>>& table() {
    static const auto parsed = [] {
        std::map<std::string, std::string, std::less<>> out;
        std::istringstream in(import_names_txt);
        for (std::string line; std::getline(in, line);) {
            if (line.empty() || line.front() == '#')
                continue;
            const auto space = line.find(' ');
            if (space != std::string::npos)
                out.emplace(line.substr(0, space), line.substr(space + 1));
        }
        return out;
    }();
    return parsed;
}

std::string top_of(std::string_view path) {
    return std::string(path.substr(0, path.find_first_of("/.")));
}

// Whether a wheel's (or an install's) file list provides `module`.
bool files_provide(const std::vector<std::string>& files, std::string_view module) {
    for (const auto& f : files) {
        if (f.starts_with(std::string(module) + "/"))
            return true;
        if (f == std::string(module) + ".py")
            return true;
        if (f.starts_with(std::string(module) + ".") && f.find('/') == std::string::npos &&
            (f.ends_with(".so") || f.ends_with(".pyd")))
            return true;
    }
    return false;
}

std::string read_if_file(const stdfs::path& path) {
    std::error_code ec;
    if (!stdfs::is_regular_file(path, ec) || stdfs::file_size(path, ec) > (1u << 20))
        return {};
    return fs::read_file(path);
}

// A dist-info directory's import names: Import-Name, top_level.txt, RECORD.
std::vector<std::string> dist_info_names(const stdfs::path& dist_info) {
    auto names = declared_import_names(read_if_file(dist_info / "METADATA"));
    std::istringstream top(read_if_file(dist_info / "top_level.txt"));
    for (std::string line; std::getline(top, line);)
        if (!line.empty())
            names.push_back(line);
    if (names.empty()) {
        std::istringstream record(read_if_file(dist_info / "RECORD"));
        for (std::string line; std::getline(record, line);) {
            const auto path = line.substr(0, line.find(','));
            if (path.find(".dist-info/") == std::string::npos &&
                path.find(".data/") == std::string::npos && !path.empty())
                names.push_back(top_of(path));
        }
    }
    return names;
}

bool contains(const std::vector<std::string>& names, std::string_view module) {
    return std::find(names.begin(), names.end(), module) != names.end();
}

// The newest final version's wheels (any tag: the module's name does not
// depend on the platform).
std::vector<DistFile> newest_wheels(const ProjectPage& page) {
    std::optional<standards::Version> newest;
    std::vector<DistFile> out;
    for (const auto& file : page.files) {
        if (!file.is_wheel() || file.yanked)
            continue;
        auto name = standards::WheelName::parse(file.filename);
        if (!name || name->version.is_prerelease())
            continue;
        if (!newest || *newest < name->version) {
            newest = name->version;
            out.clear();
        }
        if (*newest == name->version)
            out.push_back(file);
    }
    return out;
}

}  // namespace

std::optional<std::string> known_distribution(std::string_view module) {
    const auto it = table().find(module);
    if (it == table().end())
        return std::nullopt;
    return it->second;
}

std::size_t known_distribution_count() {
    return table().size();
}

std::vector<std::string> declared_import_names(std::string_view metadata) {
    std::vector<std::string> names;
    std::size_t start = 0;
    while (start < metadata.size()) {
        auto end = metadata.find('\n', start);
        if (end == std::string_view::npos)
            end = metadata.size();
        auto line = metadata.substr(start, end - start);
        start = end + 1;
        if (line.empty() || line == "\r")
            break;  // the body starts
        for (const std::string_view field : {"Import-Name:", "Import-Namespace:"})
            if (line.size() > field.size() && line.substr(0, field.size()) == field) {
                auto value = line.substr(field.size());
                value = value.substr(0, value.find(';'));
                const auto first = value.find_first_not_of(" \t");
                const auto last = value.find_last_not_of(" \t\r");
                if (first != std::string_view::npos)
                    names.push_back(top_of(value.substr(first, last - first + 1)));
            }
    }
    return names;
}

ImportResolution resolve_import_name(const bubble::ProvisionContext& context,
                                     std::string_view module, bool ask_index) {
    ImportResolution r;
    r.module = std::string(module);
    const auto proved = [&](std::string distribution, std::string proof) {
        r.distribution = std::move(distribution);
        r.proof = std::move(proof);
        return r;
    };
    // 1. Installed here: the main env, then every bubble.
    for (const auto& d : install::list_installed(bubble::site_packages(context)))
        if (contains(d.import_names, module) || contains(dist_info_names(d.dist_info), module))
            return proved(d.name,
                          fmt::format("{} {} in the main env provides it", d.name, d.version));
    for (const auto& b : bubble::BubbleStore(context.home).list())
        for (const auto& d : b.distributions)
            if (contains(d.import_names, module))
                return proved(d.name, fmt::format("{} {} in bubble {} provides it", d.name,
                                                  d.version, b.path.string()));
    r.tried.push_back("no distribution installed here provides it");
    // 2. Wheels unpacked in the cache.
    std::error_code ec;
    for (const auto& dir : stdfs::directory_iterator(context.home.cache_dir() / "unpacked", ec)) {
        std::error_code inner;
        for (const auto& entry : stdfs::directory_iterator(dir.path(), inner)) {
            const auto name = entry.path().filename().string();
            if (!name.ends_with(".dist-info") || !contains(dist_info_names(entry.path()), module))
                continue;
            const auto dist = standards::normalize_name(name.substr(0, name.find('-')));
            return proved(dist, fmt::format("the cached wheel of {} provides it", dist));
        }
    }
    r.tried.push_back("no wheel in the cache provides it");
    // 3. The table of known mismatches.
    if (auto known = known_distribution(module))
        return proved(*known, fmt::format("'{}' is the known distribution of {}", *known, module));
    r.tried.push_back("it is not in the table of known import names");
    if (!ask_index)
        return r;
    // 4. Candidates on the index, proved by Import-Name or by the wheel.
    std::vector<std::string> candidates;
    for (const auto& c :
         {std::string(module), "python-" + std::string(module), "py" + std::string(module)}) {
        const auto normalized = standards::normalize_name(c);
        if (std::find(candidates.begin(), candidates.end(), normalized) == candidates.end())
            candidates.push_back(normalized);
    }
    for (const auto& candidate : candidates) {
        try {
            const auto wheels = newest_wheels(context.index.project_page(candidate));
            if (wheels.empty()) {
                r.tried.push_back(fmt::format("the index has no wheel named {}", candidate));
                continue;
            }
            const auto& file = wheels.front();
            const auto declared = declared_import_names(context.index.fetch_metadata(file));
            r.from_index = true;
            if (!declared.empty()) {
                if (contains(declared, module))
                    return proved(candidate,
                                  fmt::format("{} declares Import-Name {}", file.filename, module));
                r.tried.push_back(fmt::format("{} declares other import names", file.filename));
                r.from_index = false;
                continue;
            }
            const auto unpacked =
                install::unpack_wheel(context.home, context.index.fetch_wheel(file));
            if (files_provide(unpacked.files, module))
                return proved(candidate, fmt::format("{} contains {}", file.filename, module));
            r.tried.push_back(
                fmt::format("{} on the index does not contain {}", file.filename, module));
            r.from_index = false;
        } catch (const Error& e) {
            r.from_index = false;
            r.tried.push_back(fmt::format("{}: {}", candidate, e.what()));
        }
    }
    return r;
}

}  // namespace omni::run
