// omni doctor: checks what omni depends on and says what to fix.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/bubble/doctor_envs.hpp"
#include "omni/bubble/provision.hpp"
#include "omni/home/config.hpp"
#include "omni/index/url.hpp"
#include "omni/install/env_check.hpp"
#include "omni/python/shims.hpp"
#include "omni/python/swap.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::cli {

namespace {

struct Check {
    bool ok;
    std::string what;
    std::string fix;
};

std::uintmax_t tree_size(const std::filesystem::path& dir, std::size_t& files) {
    std::uintmax_t size = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec)) {
            size += it->file_size(ec);
            ++files;
        }
    return size;
}

// The index settings, or a failed check naming the variable, pip.conf line
// or config value that broke them.
const IndexOptions* index_options(Context& context, std::vector<Check>& checks) {
    try {
        return &context.index().options();
    } catch (const Error& e) {
        checks.push_back(
            {false, e.what(), e.hint().empty() ? "fix the setting it names" : e.hint()});
        return nullptr;
    }
}

}  // namespace

void register_doctor_command(CLI::App& app, Context& context) {
    auto* doctor =
        app.add_subcommand("doctor", "Check the home, PATH, shims, interpreters, cache and index");
    auto deep = std::make_shared<bool>(false);
    auto repair = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    doctor->add_flag("--deep", *deep, "Also check every installed file against its RECORD hash");
    doctor->add_flag("--repair", *repair,
                     "Finish or undo interrupted changes, remove dist-info without RECORD, "
                     "reinstall damaged distributions");
    doctor->add_flag("--json", *json, "Print the checks as JSON");
    doctor->callback([&context, deep, repair, json] {
        std::vector<Check> checks;
        const auto& home = context.home();
        checks.push_back({true, fmt::format("home {} is writable", home.root().string()), ""});
        try {
            (void)Config(home).load();
            checks.push_back({true, "config.json parses", ""});
        } catch (const Error& e) {
            checks.push_back({false, e.what(), "omni config repair"});
        }
        const bool on_path = python::on_path(home.bin_dir());
        checks.push_back(
            {on_path,
             fmt::format("{} is {}on PATH", home.bin_dir().string(), on_path ? "" : "not "),
             on_path ? "" : python::shell_path_line(home, "bash")});
        std::error_code ec;
        const auto shim = home.bin_dir() / "python";
        if (std::filesystem::is_symlink(shim, ec)) {
            const auto env = python::shim_target(home);
            const bool ok = !env.empty() && std::filesystem::exists(env / "bin" / "python", ec);
            checks.push_back(
                {ok,
                 ok ? fmt::format("bin/python runs {} (the global choice)", env.string())
                    : "bin/python has no main env to run for the global choice",
                 ok ? "" : "omni swap python 3"});
        } else {
            checks.push_back({false, "no python shim yet", "omni swap python 3"});
        }
        auto& registry = context.registry();
        checks.push_back(
            {!registry.interpreters().empty(),
             fmt::format("{} interpreters found", registry.interpreters().size()),
             registry.interpreters().empty() ? "install a Python, e.g. with pyenv" : ""});
        std::size_t files = 0;
        const auto size = tree_size(home.cache_dir(), files);
        checks.push_back({true,
                          fmt::format("cache: {} files, {:.1f} MiB", files,
                                      static_cast<double>(size) / (1024.0 * 1024.0)),
                          ""});
        const bool config_ok = checks[1].ok;
        if (!config_ok) {
            checks.push_back(
                {false, "the index was not checked: its settings are in the damaged config.json",
                 ""});
        } else if (const auto* options = index_options(context, checks);
                   options != nullptr && !options->no_index && !options->offline) {
            try {
                const bool local = options->index_url.starts_with("file://");
                if (local && !std::filesystem::is_directory(options->index_url.substr(7), ec))
                    throw Error(ErrorCode::not_found, "no such directory");
                const auto page = context.index().project_page("pip");
                checks.push_back(
                    {true,
                     fmt::format("index {} answers{}", redact_url(options->index_url),
                                 page.files.empty() ? " (it has no project 'pip')" : ""),
                     ""});
            } catch (const Error& e) {
                checks.push_back(
                    {false,
                     fmt::format("index {} does not answer: {}", redact_url(options->index_url),
                                 redact_credentials(e.what())),
                     "set a reachable index: omni config set index.url URL, or use --find-links / "
                     "--offline"});
            }
        }
        // Every env this home knows, the target env, and every bubble.
        std::optional<bubble::ProvisionContext> target;
        try {
            target.emplace(context.provision());
        } catch (const Error& e) {
            logger().info("no target env to check: {}", e.what());
        }
        for (const auto& env :
             bubble::doctor_envs(home, registry.interpreters(), target ? &*target : nullptr)) {
            const auto name = env.bubble ? fmt::format("bubble {}=={} ({})", env.bubble->name,
                                                       env.bubble->version, env.bubble->env_key)
                                         : fmt::format("env {}", env.root.string());
            if (*repair) {
                const auto done = bubble::repair_doctor_env(home, context.index(), env);
                if (done.recovered != install::Recovery::none)
                    checks.push_back(
                        {true,
                         fmt::format("{}: {} an interrupted change", name,
                                     done.recovered == install::Recovery::rolled_back ? "undid"
                                                                                      : "finished"),
                         ""});
                for (const auto& d : done.phantoms_removed)
                    checks.push_back({true,
                                      fmt::format("{}: removed {} (no RECORD)", name,
                                                  d.dist_info.filename().string()),
                                      ""});
                for (const auto& d : done.reinstalled)
                    checks.push_back({true,
                                      fmt::format("{}: {} {}", name,
                                                  env.bubble ? "rebuilt for" : "reinstalled", d),
                                      ""});
                for (const auto& d : done.not_repaired)
                    checks.push_back({false, fmt::format("{}: not repaired: {}", name, d), ""});
            }
            const auto report = install::check_env(env.root, env.library, *deep);
            if (report.ok()) {
                checks.push_back(
                    {true,
                     fmt::format("{}: {} distributions whole{}", name, report.distributions,
                                 *deep ? " (every RECORD hash checked)" : ""),
                     ""});
                continue;
            }
            const std::string fix =
                env.target || env.interpreter
                    ? "omni doctor --repair"
                    : fmt::format("omni --env {} doctor --repair", env.root.string());
            if (report.pending_journal)
                checks.push_back({false, fmt::format("{}: a change was interrupted", name), fix});
            for (const auto& d : report.phantoms)
                checks.push_back({false,
                                  fmt::format("{}: {} has no RECORD (an install that never "
                                              "finished)",
                                              name, d.dist_info.filename().string()),
                                  fix});
            for (const auto& d : report.damaged) {
                std::string what;
                if (!d.missing.empty())
                    what += fmt::format("{} missing ({})", d.missing.size(), d.missing.front());
                if (!d.modified.empty())
                    what += fmt::format(
                        "{}{} modified ({}){}", what.empty() ? "" : ", ", d.modified.size(),
                        d.modified.front(),
                        std::filesystem::hard_link_count(env.library / d.modified.front(), ec) > 1
                            ? ", a file shared with the cache or other envs"
                            : "");
                checks.push_back(
                    {false, fmt::format("{}: {} {}: {}", name, d.dist.name, d.dist.version, what),
                     fix});
            }
        }
        bool all_ok = true;
        for (const auto& c : checks)
            all_ok = all_ok && c.ok;
        if (*json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& c : checks)
                out.push_back({{"ok", c.ok}, {"check", c.what}, {"fix", c.fix}});
            fmt::print("{}\n", nlohmann::json{{"ok", all_ok}, {"checks", out}}.dump(2));
        } else {
            for (const auto& c : checks) {
                fmt::print("[{}] {}\n", c.ok ? "ok" : "!!", c.what);
                if (!c.fix.empty())
                    fmt::print("     fix: {}\n", c.fix);
            }
        }
        if (!all_ok)
            throw ChildExit(1);
    });
}

}  // namespace omni::cli
