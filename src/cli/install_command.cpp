#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/options.hpp"
#include "omni/bubble/installation_report.hpp"
#include "omni/bubble/provision.hpp"
#include "omni/bubble/source_builds.hpp"
#include "omni/resolve/index_source.hpp"
#include "omni/resolve/requirements_file.hpp"
#include "omni/resolve/target_platform.hpp"
#include "omni/standards/requirement.hpp"
#include "omni/standards/wheel_name.hpp"
#include "omni/util/fs.hpp"

namespace omni::cli {

namespace {

struct InstallOptions {
    std::vector<std::string> args;
    std::vector<std::string> requirement_files;
    std::vector<std::string> constraint_files;
    bool pre = false;
    bool main = false;
    bool bubble = false;
    bool dry_run = false;
    bool no_deps = false;
    bool reinstall = false;
    bool upgrade = false;
    std::string upgrade_strategy;
    bool compile = false;
    std::string report;
    std::vector<std::string> editables;
    std::vector<std::string> no_binary;
    std::vector<std::string> only_binary;
    bool no_build_isolation = false;
    std::string link_mode;
    bool require_hashes = false;
    std::string target;
    std::string prefix;
    resolve::TargetOverrides overrides;  // --python-version, --implementation, --platform
};

}  // namespace

void register_install_command(CLI::App& app, Context& context) {
    auto* install =
        app.add_subcommand("install", "Install packages into the main env, or into bubbles");
    auto options = std::make_shared<InstallOptions>();
    install->add_option("requirements", options->args,
                        "Requirements (rich==13.4.2) or wheel files");
    add_repeatable(*install, "-r,--requirement", options->requirement_files,
                   "Install from a requirements file (repeatable)");
    add_repeatable(*install, "-c,--constraint", options->constraint_files,
                   "Constrain versions with a file (repeatable)");
    install->add_flag("--pre", options->pre, "Allow pre-releases");
    install->add_flag("--main", options->main,
                      "Into the main env even when that changes installed versions");
    install->add_flag("--bubble", options->bubble,
                      "Into bubbles even when the main env could take it");
    install->add_flag("--dry-run", options->dry_run, "Print the resolution; install nothing");
    install->add_flag("--no-deps", options->no_deps,
                      "Install only what is named, not its dependencies");
    install->add_flag("--reinstall,--force-reinstall", options->reinstall,
                      "Install again what is already installed");
    install->add_flag("-U,--upgrade", options->upgrade,
                      "Upgrade the named packages to the newest allowed versions, in the main env");
    install
        ->add_option("--upgrade-strategy", options->upgrade_strategy,
                     "With -U: only-if-needed (the named packages; the default) or eager "
                     "(their dependencies too)")
        ->check(CLI::IsMember({"only-if-needed", "eager"}));
    install->add_flag("--compile", options->compile, "Byte-compile what is installed");
    install->add_option("--report", options->report,
                        "Write the resolution as JSON (pip's report shape); - for stdout");
    add_repeatable(*install, "-e,--editable", options->editables,
                   "Install a project directory in editable mode (PEP 660, repeatable)");
    add_comma_list(*install, "--no-binary", options->no_binary,
                   "Build these projects from source (names or :all:)");
    add_comma_list(*install, "--only-binary", options->only_binary,
                   "Never build these projects from source (names or :all:)");
    install->add_flag("--no-build-isolation", options->no_build_isolation,
                      "Build with the env's own packages instead of a fresh build env");
    install->add_option("--link-mode", options->link_mode,
                        "clone, hardlink, copy or symlink (default: clone where the file system "
                        "can, else hardlink)");
    install->add_option("--python-version", options->overrides.python_version,
                        "Resolve for this Python (X.Y), with --dry-run or --target");
    install->add_option("--implementation", options->overrides.implementation,
                        "Resolve for cp or pp, with --dry-run or --target");
    install->add_option("--platform", options->overrides.platform,
                        "Resolve for this Linux wheel platform (manylinux2014_x86_64), with "
                        "--dry-run or --target");
    install->add_option("--target,-t", options->target,
                        "Install into this directory (importable from it), not into an env");
    install->add_option("--prefix", options->prefix,
                        "Install under this prefix (lib/pythonX.Y/site-packages, bin/), not into "
                        "an env");
    install->add_flag("--require-hashes", options->require_hashes,
                      "Hash-checking mode: every distribution pinned with == and a --hash");
    install->callback([&context, options] {
        if (options->main && options->bubble)
            throw Error(ErrorCode::usage, "--main and --bubble exclude each other");
        bubble::PlanOptions plan_options;
        plan_options.no_deps = options->no_deps;
        plan_options.reinstall = options->reinstall;
        plan_options.compile = options->compile;
        plan_options.build.no_binary = options->no_binary;
        plan_options.build.only_binary = options->only_binary;
        plan_options.build.isolation = !options->no_build_isolation;
        plan_options.link_mode = options->link_mode;

        resolve::RequirementsFile from_files;
        for (const auto& f : options->requirement_files)
            from_files.merge(resolve::read_requirements_file(f));
        for (const auto& f : options->constraint_files) {
            const auto file = resolve::read_requirements_file(f);
            plan_options.constraints.insert(plan_options.constraints.end(),
                                            file.requirements.begin(), file.requirements.end());
        }
        plan_options.constraints.insert(plan_options.constraints.end(),
                                        from_files.constraints.begin(),
                                        from_files.constraints.end());
        std::vector<std::string> args = options->args;
        args.insert(args.end(), from_files.requirements.begin(), from_files.requirements.end());
        args.insert(args.end(), from_files.local.begin(), from_files.local.end());
        const auto classified = resolve::classify_install_arguments(args);
        const auto& requirements = classified.requirements;
        std::vector<std::string> editables = options->editables;
        editables.insert(editables.end(), from_files.editables.begin(), from_files.editables.end());

        // A file's index lines count as the command line's, as in pip.
        auto& global = context.options;
        if (from_files.index_url && global.index_url.empty())
            global.index_url = *from_files.index_url;
        global.extra_index_urls.insert(global.extra_index_urls.end(),
                                       from_files.extra_index_urls.begin(),
                                       from_files.extra_index_urls.end());
        global.find_links.insert(global.find_links.end(), from_files.find_links.begin(),
                                 from_files.find_links.end());
        global.no_index = global.no_index || from_files.no_index;
        plan_options.prereleases =
            options->pre || from_files.pre || context.settings().flag("install.pre");
        plan_options.build.no_binary.insert(plan_options.build.no_binary.end(),
                                            from_files.no_binary.begin(),
                                            from_files.no_binary.end());
        plan_options.build.only_binary.insert(plan_options.build.only_binary.end(),
                                              from_files.only_binary.begin(),
                                              from_files.only_binary.end());
        plan_options.hashes = from_files.hashes;
        plan_options.require_hashes =
            options->require_hashes || context.settings().flag("install.require-hashes");
        if (requirements.empty() && classified.local.empty() && editables.empty())
            throw Error(ErrorCode::usage, "nothing to install",
                        "name requirements, wheel files, project directories or -r FILE");
        if (options->upgrade) {
            auto strategy = options->upgrade_strategy;
            if (strategy.empty())
                strategy = context.settings().text("install.upgrade-strategy").value_or("");
            if (strategy == "eager") {
                plan_options.prefer_installed = false;
            } else {
                for (const auto& r : requirements)
                    if (auto parsed = standards::Requirement::parse(r))
                        plan_options.upgrade.push_back(parsed->normalized_name());
            }
        }
        plan_options.with_metadata = !options->report.empty();

        if (!options->target.empty() && !options->prefix.empty())
            throw Error(ErrorCode::usage, "--target and --prefix name two places; give one");
        const auto directory = !options->target.empty() ? options->target : options->prefix;
        if (!options->overrides.empty() && !options->dry_run && directory.empty())
            throw Error(ErrorCode::usage,
                        "--python-version, --implementation and --platform resolve for another "
                        "target; they need --dry-run, --target DIR or --prefix DIR",
                        "omni install --dry-run --python-version 3.9 PKG");
        if (!directory.empty() && (!classified.local.empty() || !editables.empty()))
            throw Error(ErrorCode::usage,
                        fmt::format("--target and --prefix take requirements from an index or "
                                    "find-links, not files or projects ({})",
                                    !editables.empty() ? editables.front()
                                                       : classified.local.front().location),
                        "build a wheel and point --find-links at its directory");
        auto provision = context.provision();
        if (!options->overrides.empty())
            provision.interpreter =
                resolve::with_overrides(provision.interpreter, options->overrides);
        // `--report -` owns stdout: the JSON alone, as pip's --report - -q.
        const bool quiet = context.options.quiet || options->report == "-";
        const auto say = [quiet](const std::string& line) {
            if (!quiet)
                fmt::print("{}\n", line);
        };
        const auto write_report = [&](const std::vector<bubble::PlannedPackage>& plan) {
            if (options->report.empty())
                return;
            const auto text = bubble::installation_report(plan, provision.interpreter);
            if (options->report == "-")
                fmt::print("{}", text);
            else
                fs::atomic_write(options->report, text);
        };

        // Wheel files (local or by URL) and local projects, checked like
        // index candidates, their dependencies resolved.
        std::vector<std::filesystem::path> wheels;
        for (const auto& target : classified.local) {
            if (!target.is_wheel)
                continue;
            std::filesystem::path path = target.location;
            if (target.location.starts_with("http")) {
                if (options->dry_run) {
                    say(fmt::format("would download and install {}", target.location));
                    continue;
                }
                DistFile file;
                file.url = target.location;
                file.filename = target.location.substr(target.location.rfind('/') + 1);
                path = context.index().fetch_wheel(file);
            }
            if (!target.name.empty()) {
                const auto name = standards::WheelName::parse(
                    std::filesystem::path(target.location).filename().string());
                if (name && name->name != target.name)
                    throw Error(ErrorCode::invalid_input,
                                fmt::format("'{} @ {}' names a wheel of '{}'", target.name,
                                            target.location, name->name));
            }
            wheels.push_back(path);
        }
        if (!wheels.empty()) {
            if (options->dry_run) {
                for (const auto& w : wheels)
                    say(fmt::format("would install {}", w.string()));
            } else {
                std::vector<bubble::PlannedPackage> deps;
                const auto done =
                    bubble::install_checked_wheels(provision, wheels, plan_options, &deps);
                for (const auto& d : deps)
                    say(fmt::format("installed {} {} (a dependency)", d.name, d.version));
                for (const auto& p : done)
                    say(fmt::format("installed {} {} from {}", p.name, p.version, p.wheel));
            }
        }
        const auto install_local = [&](const std::string& location,
                                       const std::vector<std::string>& extras, bool editable) {
            const std::filesystem::path path(location);
            if (options->dry_run) {
                say(fmt::format("would build and install {}{}", path.string(),
                                editable ? " (editable)" : ""));
                return;
            }
            const auto done =
                bubble::install_local_project(provision, path, editable, plan_options, extras);
            for (const auto& d : done.dependencies)
                say(fmt::format("installed {} {} (a dependency)", d.name, d.version));
            say(fmt::format("installed {} {} from {}{}", done.package.name, done.package.version,
                            path.string(), editable ? " (editable)" : ""));
        };
        for (const auto& target : classified.local)
            if (!target.is_wheel)
                install_local(target.location, target.extras, false);
        for (const auto& text : editables) {
            auto split = resolve::classify_install_arguments({text.ends_with("/") || text == "." ||
                                                                      text.starts_with("/") ||
                                                                      text.starts_with(".")
                                                                  ? text
                                                                  : "./" + text});
            if (split.local.empty())
                throw Error(ErrorCode::invalid_input,
                            fmt::format("-e '{}' is not a project directory", text));
            install_local(split.local.front().location, split.local.front().extras, true);
        }
        if (requirements.empty())
            return;

        if (!directory.empty() && !options->dry_run) {
            // pip's --target (importable from DIR) and --prefix (DIR/lib/
            // pythonX.Y/site-packages): the closure, wheels only.
            const auto done = bubble::install_into_directory(provision, requirements, directory,
                                                             options->target.empty()
                                                                 ? bubble::DirectoryLayout::prefix
                                                                 : bubble::DirectoryLayout::flat,
                                                             options->upgrade);
            for (const auto& p : done.installed)
                say(fmt::format("installed {} {} into {}", p.name, p.version, directory));
            for (const auto& k : done.kept)
                say(fmt::format("{} is already in {}{}", k, directory,
                                options->upgrade ? "" : " (-U replaces it)"));
            return;
        }
        if (options->dry_run) {
            const auto plan = bubble::plan_install(provision, requirements, plan_options);
            write_report(plan);
            say(fmt::format("would install for {}:", provision.interpreter.describe()));
            for (const auto& p : plan)
                say(fmt::format("  {} {}  {}{}", p.name, p.version, p.wheel,
                                p.installed
                                    ? (*p.installed == p.version
                                           ? "  (installed)"
                                           : fmt::format("  (main env has {})", *p.installed))
                                    : ""));
            return;
        }
        if (options->upgrade && !options->bubble)
            say(fmt::format("upgrading in {} (-U asks for it; installed versions may change)",
                            provision.env_root.string()));
        const auto placement = options->main || (options->upgrade && !options->bubble)
                                   ? bubble::Placement::main
                               : options->bubble ? bubble::Placement::bubble
                                                 : bubble::Placement::stable_main;
        const auto outcome =
            bubble::install_requirements(provision, requirements, placement, plan_options);
        write_report(outcome.resolved);
        if (outcome.in_bubbles) {
            if (!outcome.why_bubbles.empty())
                say(fmt::format("main env kept as it is: {}", outcome.why_bubbles));
            for (const auto& b : outcome.bubbles) {
                say(fmt::format("bubble {}=={} for {}: {}", b.name, b.version, b.env_key,
                                b.path.string()));
                for (const auto& d : b.distributions)
                    say(fmt::format("  {} {}", d.name, d.version));
            }
            return;
        }
        for (const auto& p : outcome.installed)
            say(fmt::format("installed {} {}", p.name, p.version));
        for (const auto& p : outcome.unchanged)
            if (p.requested)
                say(fmt::format("{} {} is already installed", p.name, p.version));
    });
}

}  // namespace omni::cli
