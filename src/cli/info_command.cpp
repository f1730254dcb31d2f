#include <fmt/format.h>
#include <CLI/CLI.hpp>

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

std::string requires_of(const std::filesystem::path& dist_info) {
    std::error_code ec;
    if (!std::filesystem::exists(dist_info / "METADATA", ec))
        return "";
    auto meta = standards::CoreMetadata::parse(fs::read_file(dist_info / "METADATA"));
    if (!meta)
        return "";
    std::string out;
    for (const auto& r : meta->requires_dist)
        out += (out.empty() ? "" : ", ") + r.to_string();
    return out;
}

}  // namespace

void register_info_command(CLI::App& app, Context& context) {
    auto* info = app.add_subcommand(
        "info", "Every installed version of a distribution: where, size, dependencies");
    auto name = std::make_shared<std::string>();
    info->add_option("name", *name, "Distribution name")->required();
    info->callback([&context, name] {
        const auto wanted = standards::normalize_name(*name);
        const auto provision = context.provision();
        std::size_t found = 0;
        const auto site = bubble::site_packages(provision);
        for (const auto& d : install::list_installed(site)) {
            if (d.name != wanted)
                continue;
            ++found;
            std::uintmax_t size = 0;
            for (const auto& top : d.import_names)
                size += size_of(site / top);
            fmt::print("{} {}  main env {}  {:.1f} KiB\n  requires: {}\n", d.name, d.version,
                       site.string(), static_cast<double>(size) / 1024.0, requires_of(d.dist_info));
        }
        for (const auto& b : bubble::BubbleStore(provision.home).list()) {
            for (const auto& dist : b.distributions) {
                if (dist.name != wanted)
                    continue;
                ++found;
                std::uintmax_t size = 0;
                for (const auto& top : dist.import_names)
                    size += size_of(b.path / top);
                const auto dist_info = b.path / fmt::format(
                                                    "{}-{}.dist-info",
                                                    [&] {
                                                        std::string n = dist.name;
                                                        std::replace(n.begin(), n.end(), '-', '_');
                                                        return n;
                                                    }(),
                                                    dist.version);
                fmt::print(
                    "{} {}  bubble {}=={} ({})  {}  {:.1f} KiB (hard links: shared with other "
                    "bubbles)\n  requires: {}\n",
                    dist.name, dist.version, b.name, b.version, b.env_key, b.path.string(),
                    static_cast<double>(size) / 1024.0, requires_of(dist_info));
            }
        }
        if (found == 0)
            throw Error(ErrorCode::not_found,
                        fmt::format("'{}' is installed nowhere omni knows", *name),
                        "omni install " + *name);
    });
}

}  // namespace omni::cli
