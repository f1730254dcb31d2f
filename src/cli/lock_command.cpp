#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/lock/make_lock.hpp"
#include "omni/lock/sync.hpp"
#include "omni/resolve/requirements_file.hpp"
#include "omni/util/fs.hpp"

namespace omni::cli {

namespace {

// "3.9,3.10" -> {"3.9", "3.10"}; "" -> {""} (the selected interpreter).
std::vector<std::string> python_requests(const std::string& option) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= option.size()) {
        const auto comma = option.find(',', start);
        const auto part =
            option.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!part.empty() || option.empty())
            out.push_back(part);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

struct LockArgs {
    std::vector<std::string> requirements;
    std::vector<std::string> files;
    std::string output = "pylock.toml";
};

struct SyncArgs {
    std::string lock = "pylock.toml";
    bool dry_run = false;
    bool inexact = false;
};

}  // namespace

void register_lock_command(CLI::App& app, Context& context) {
    auto* lock = app.add_subcommand(
        "lock", "Write a PEP 751 pylock.toml: requirements, or what the env and its bubbles hold");
    auto args = std::make_shared<LockArgs>();
    lock->add_option("requirements", args->requirements,
                     "Requirements to lock (none: the target env and its bubbles as they are)");
    lock->add_option("-r,--requirement", args->files, "Requirements from a file");
    lock->add_option("-o,--output", args->output, "Where to write the lock (- for stdout)");
    lock->callback([&context, args] {
        lock::LockRequest request;
        request.requirements = args->requirements;
        for (const auto& f : args->files) {
            const auto file = resolve::read_requirements_file(f);
            request.requirements.insert(request.requirements.end(), file.requirements.begin(),
                                        file.requirements.end());
        }
        if (!args->files.empty() && request.requirements.empty())
            throw Error(ErrorCode::usage, "the requirements files name nothing to lock");
        std::vector<bubble::ProvisionContext> contexts;
        const auto requested = context.options.python;
        for (const auto& python : python_requests(requested)) {
            context.options.python = python;
            contexts.push_back(context.provision());
        }
        context.options.python = requested;
        const auto text = lock::write_pylock(lock::make_lock(contexts, request));
        if (args->output == "-") {
            fmt::print("{}", text);
            return;
        }
        fs::atomic_write(args->output, text);
        const auto parsed = lock::parse_pylock(text, args->output);
        fmt::print("locked {} packages{} for {} interpreter{} into {}\n",
                   parsed ? parsed->packages.size() : 0,
                   parsed && !parsed->bubbles.empty()
                       ? fmt::format(" and {} bubbles", parsed->bubbles.size())
                       : "",
                   contexts.size(), contexts.size() == 1 ? "" : "s", args->output);
    });
}

void register_sync_command(CLI::App& app, Context& context) {
    auto* sync = app.add_subcommand(
        "sync", "Make the target env match a pylock.toml exactly (and build its bubbles)");
    auto args = std::make_shared<SyncArgs>();
    sync->add_option("lock", args->lock, "The lock file (default pylock.toml)");
    sync->add_flag("--dry-run", args->dry_run, "Say what would change; change nothing");
    sync->add_flag("--inexact", args->inexact, "Keep packages the lock does not list");
    sync->callback([&context, args] {
        const auto locked = lock::read_lock_file(args->lock);
        const auto provision = context.provision();
        lock::SyncOptions options;
        options.inexact = args->inexact;
        options.lock_dir = std::filesystem::absolute(args->lock).parent_path();
        const auto plan = lock::plan_sync(provision, locked, options);
        if (args->dry_run) {
            for (const auto& item : plan.install)
                fmt::print("would install {} {}{}\n", item.name, item.version,
                           item.installed ? fmt::format(" (replacing {})", *item.installed) : "");
            if (!options.inexact)
                for (const auto& r : plan.remove)
                    fmt::print("would remove {} (not in the lock)\n", r);
            for (const auto& b : plan.bubbles)
                if (!b.present)
                    fmt::print("would build bubble {}\n", b.bubble.requirement);
            if (plan.install.empty() && (options.inexact || plan.remove.empty()))
                fmt::print("{} already matches the lock\n", provision.env_root.string());
            return;
        }
        const auto outcome = lock::apply_sync(provision, plan, options);
        for (const auto& item : outcome.installed)
            fmt::print("installed {} {}{}\n", item.name, item.version,
                       item.installed ? fmt::format(" (was {})", *item.installed) : "");
        for (const auto& r : outcome.removed)
            fmt::print("removed {} (not in the lock)\n", r);
        for (const auto& b : outcome.bubbles_built)
            fmt::print("built bubble {} at {}\n", b.requirement, b.path.string());
        if (outcome.installed.empty() && outcome.removed.empty())
            fmt::print("{} already matches the lock ({} packages)\n", provision.env_root.string(),
                       plan.unchanged.size());
        if (options.inexact && !plan.remove.empty())
            fmt::print("kept {} packages the lock does not list (--inexact)\n", plan.remove.size());
    });
}

}  // namespace omni::cli
