#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/bubble/store.hpp"
#include "omni/install/installed.hpp"
#include "omni/standards/metadata.hpp"
#include "omni/standards/name.hpp"
#include "omni/util/fs.hpp"

namespace omni::cli {

namespace {

std::uintmax_t size_of(const std::filesystem::path& dir) {
    std::uintmax_t size = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec))
            size += it->file_size(ec);
    return size;
}

std::vector<std::string> requires_of(const std::filesystem::path& dist_info) {
    std::error_code ec;
    if (!std::filesystem::exists(dist_info / "METADATA", ec))
        return {};
    auto meta = standards::CoreMetadata::parse(fs::read_file(dist_info / "METADATA"));
    if (!meta)
        return {};
    std::vector<std::string> out;
    for (const auto& r : meta->requires_dist)
        out.push_back(r.to_string());
    return out;
}

// One installed copy, for the text and the JSON form alike.
struct Found {
    std::string name, version, where, path, bubble, env_key;
    std::uintmax_t bytes = 0;
    std::vector<std::string> requires_dist;
};

}  // namespace

void register_info_command(CLI::App& app, Context& context) {
    auto* info = app.add_subcommand(
        "info", "Every installed version of a distribution: where, size, dependencies");
    auto name = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    info->add_option("name", *name, "Distribution name")->required();
    info->add_flag("--json", *json, "Print as JSON");
    info->callback([&context, name, json] {
        const auto wanted = standards::normalize_name(*name);
        const auto provision = context.provision();
        std::vector<Found> found;
        const auto site = bubble::site_packages(provision);
        for (const auto& d : install::list_installed(site)) {
            if (d.name != wanted)
                continue;
            Found f{d.name, d.version, "main", site.string(), "", "", 0, requires_of(d.dist_info)};
            for (const auto& top : d.import_names)
                f.bytes += size_of(site / top);
            found.push_back(std::move(f));
        }
        for (const auto& b : bubble::BubbleStore(provision.home).list()) {
            for (const auto& dist : b.distributions) {
                if (dist.name != wanted)
                    continue;
                std::string underscored = dist.name;
                std::replace(underscored.begin(), underscored.end(), '-', '_');
                const auto dist_info =
                    b.path / fmt::format("{}-{}.dist-info", underscored, dist.version);
                Found f{dist.name,
                        dist.version,
                        "bubble",
                        b.path.string(),
                        b.name + "==" + b.version,
                        b.env_key,
                        0,
                        requires_of(dist_info)};
                for (const auto& top : dist.import_names)
                    f.bytes += size_of(b.path / top);
                found.push_back(std::move(f));
            }
        }
        if (found.empty())
            throw Error(ErrorCode::not_found,
                        fmt::format("'{}' is installed nowhere omni knows", *name),
                        "omni install " + *name);
        if (*json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& f : found) {
                nlohmann::json item = {{"name", f.name},   {"version", f.version},
                                       {"where", f.where}, {"path", f.path},
                                       {"bytes", f.bytes}, {"requires_dist", f.requires_dist}};
                if (f.where == "bubble") {
                    item["bubble"] = f.bubble;
                    item["env_key"] = f.env_key;
                }
                out.push_back(std::move(item));
            }
            fmt::print("{}\n", out.dump(2));
            return;
        }
        for (const auto& f : found) {
            const auto kib = static_cast<double>(f.bytes) / 1024.0;
            const auto deps = fmt::format("{}", fmt::join(f.requires_dist, ", "));
            if (f.where == "main")
                fmt::print("{} {}  main env {}  {:.1f} KiB\n  requires: {}\n", f.name, f.version,
                           f.path, kib, deps);
            else
                fmt::print(
                    "{} {}  bubble {} ({})  {}  {:.1f} KiB (hard links: shared with other "
                    "bubbles)\n  requires: {}\n",
                    f.name, f.version, f.bubble, f.env_key, f.path, kib, deps);
        }
    });
}

}  // namespace omni::cli
