#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/home/cache_lock.hpp"
#include "omni/home/staging.hpp"

namespace omni::cli {

namespace {

struct Usage {
    std::size_t entries = 0;
    std::uintmax_t bytes = 0;
};

Usage usage_of(const std::filesystem::path& dir) {
    Usage u;
    std::error_code ec;
    for (const auto& top : std::filesystem::directory_iterator(dir, ec)) {
        // An unpacked tree's manifest is part of that entry, not one more.
        if (top.path().extension() != ".manifest")
            ++u.entries;
        for (auto it = std::filesystem::recursive_directory_iterator(top.path(), ec);
             !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
            if (it->is_regular_file(ec))
                u.bytes += it->file_size(ec);
        if (top.is_regular_file(ec))
            u.bytes += top.file_size(ec);
    }
    return u;
}

}  // namespace

void register_cache_command(CLI::App& app, Context& context) {
    auto* cache = app.add_subcommand("cache", "Show or empty the download and unpack cache");
    cache->require_subcommand(1);
    auto* info = cache->add_subcommand("info", "Entries and sizes");
    auto json = std::make_shared<bool>(false);
    info->add_flag("--json", *json, "Print as JSON");
    info->callback([&context, json] {
        const auto& home = context.home();
        nlohmann::json out = nlohmann::json::object();
        for (const auto* part : {"wheels", "unpacked", "built", "http", "metadata"}) {
            const auto u = usage_of(home.cache_dir() / part);
            if (*json) {
                out[part] = {{"entries", u.entries},
                             {"bytes", u.bytes},
                             {"path", (home.cache_dir() / part).string()}};
                continue;
            }
            fmt::print("{:<9} {:>6} entries {:>10.1f} MiB  {}\n", part, u.entries,
                       static_cast<double>(u.bytes) / 1048576.0,
                       (home.cache_dir() / part).string());
        }
        if (*json)
            fmt::print("{}\n", out.dump(2));
    });
    auto* prune = cache->add_subcommand(
        "prune", "Remove unpacked trees no env or bubble uses, and entries unused for N days");
    auto days = std::make_shared<int>(30);
    prune->add_option("--days", *days,
                      "Age in days after which wheels and index pages go (default 30)");
    prune->callback([&context, days] {
        const auto& home = context.home();
        // Waits for running installs: nothing they read goes under them.
        const auto lock = clean_cache(home);
        auto graveyard = StagingDir::create(home, "cache-prune");
        std::size_t trees = 0, old = 0, n = 0;
        std::error_code ec;
        // An unpacked tree is in use while any install links to its files
        // (their link count is above one).
        for (const auto& tree :
             std::filesystem::directory_iterator(home.cache_dir() / "unpacked", ec)) {
            if (!tree.is_directory(ec))
                continue;  // a tree's manifest goes with its tree
            bool used = false;
            for (auto it = std::filesystem::recursive_directory_iterator(tree.path(), ec);
                 !ec && !used && it != std::filesystem::recursive_directory_iterator();
                 it.increment(ec))
                used =
                    it->is_regular_file(ec) && std::filesystem::hard_link_count(it->path(), ec) > 1;
            if (used)
                continue;
            std::filesystem::rename(tree.path(), graveyard.path() / fmt::format("{}", n++), ec);
            if (ec)
                continue;
            ++trees;
            std::filesystem::rename(tree.path().string() + ".manifest",
                                    graveyard.path() / fmt::format("{}", n++), ec);
        }
        const auto limit =
            std::filesystem::file_time_type::clock::now() - std::chrono::hours(24) * *days;
        for (const auto* part : {"wheels", "built", "http", "metadata"})
            for (const auto& entry :
                 std::filesystem::directory_iterator(home.cache_dir() / part, ec))
                if (std::filesystem::last_write_time(entry.path(), ec) < limit) {
                    std::filesystem::rename(entry.path(), graveyard.path() / fmt::format("{}", n++),
                                            ec);
                    if (!ec)
                        ++old;
                }
        context.say(fmt::format(
            "removed {} unpacked trees no install uses and {} entries older than {} days", trees,
            old, *days));
    });

    cache
        ->add_subcommand("clean",
                         "Remove everything cached (bubbles keep their files: they are hard links)")
        ->callback([&context] {
            const auto& home = context.home();
            const auto lock = clean_cache(home);
            // Out of sight with one rename each, then deleted, so no command
            // ever sees a half-removed entry.
            auto graveyard = StagingDir::create(home, "cache-clean");
            std::size_t moved = 0;
            std::error_code ec;
            for (const auto& part : std::filesystem::directory_iterator(home.cache_dir(), ec)) {
                std::filesystem::rename(part.path(), graveyard.path() / part.path().filename(), ec);
                if (!ec)
                    ++moved;
            }
            context.say(fmt::format("removed {} cache directories from {}", moved,
                                    home.cache_dir().string()));
        });
}

}  // namespace omni::cli
