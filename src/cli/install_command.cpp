#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/bubble/provision.hpp"
#include "omni/bubble/source_builds.hpp"
#include "omni/install/sdist.hpp"
#include "omni/resolve/index_source.hpp"
#include "omni/resolve/requirements_file.hpp"
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
    bool compile = false;
    std::string report;
    std::vector<std::string> editables;
    std::vector<std::string> no_binary;
    std::vector<std::string> only_binary;
    bool no_build_isolation = false;
    std::string link_mode;
};

// A local project or sdist, as pip tells them from requirements: a path
// that exists and looks like one.
bool is_local_source(const std::string& arg) {
    std::error_code ec;
    const std::filesystem::path path(arg);
    if (std::filesystem::is_directory(path, ec))
        return arg.find('/') != std::string::npos || arg == ".";
    return std::filesystem::is_regular_file(path, ec) && install::is_sdist_filename(arg);
}

// pip's installation report shape, for tools that read it.
std::string report_json(const std::vector<bubble::PlannedPackage>& plan,
                        const python::InterpreterInfo& interpreter) {
    nlohmann::json install = nlohmann::json::array();
    for (const auto& p : plan)
        install.push_back({{"download_info", {{"url", p.wheel_url}}},
                           {"is_direct", false},
                           {"requested", p.requested},
                           {"metadata", {{"name", p.name}, {"version", p.version}}}});
    nlohmann::json env = nlohmann::json::object();
    for (const auto& [k, v] : interpreter.markers)
        env[k] = v;
    return nlohmann::json{{"version", "1"},
                          {"omni_version", OMNI_VERSION},
                          {"install", install},
                          {"environment", env}}
               .dump(2) +
           "\n";
}

}  // namespace

void register_install_command(CLI::App& app, Context& context) {
    auto* install =
        app.add_subcommand("install", "Install packages into the main env, or into bubbles");
    auto options = std::make_shared<InstallOptions>();
    install->add_option("requirements", options->args,
                        "Requirements (rich==13.4.2) or wheel files");
    install->add_option("-r,--requirement", options->requirement_files,
                        "Install from a requirements file");
    install->add_option("-c,--constraint", options->constraint_files,
                        "Constrain versions with a file");
    install->add_flag("--pre", options->pre, "Allow pre-releases");
    install->add_flag("--main", options->main,
                      "Into the main env even when that changes installed versions");
    install->add_flag("--bubble", options->bubble,
                      "Into bubbles even when the main env could take it");
    install->add_flag("--dry-run", options->dry_run, "Print the resolution; install nothing");
    install->add_flag("--no-deps", options->no_deps,
                      "Install only what is named, not its dependencies");
    install->add_flag("--reinstall", options->reinstall, "Install again what is already installed");
    install->add_flag("--compile", options->compile, "Byte-compile what is installed");
    install->add_option("--report", options->report,
                        "Write the resolution as JSON (pip's report shape)");
    install
        ->add_option("-e,--editable", options->editables,
                     "Install a project directory in editable mode (PEP 660)")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
    install
        ->add_option("--no-binary", options->no_binary,
                     "Build these projects from source (names or :all:)")
        ->delimiter(',')
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
    install
        ->add_option("--only-binary", options->only_binary,
                     "Never build these projects from source (names or :all:)")
        ->delimiter(',')
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
    install->add_flag("--no-build-isolation", options->no_build_isolation,
                      "Build with the env's own packages instead of a fresh build env");
    install->add_option("--link-mode", options->link_mode,
                        "clone, hardlink, copy or symlink (default: clone where the file system "
                        "can, else hardlink)");
    install->callback([&context, options] {
        if (options->main && options->bubble)
            throw Error(ErrorCode::usage, "--main and --bubble exclude each other");
        std::vector<std::string> requirements;
        std::vector<std::filesystem::path> wheels;
        std::vector<std::filesystem::path> local;
        for (const auto& a : options->args) {
            if (a.ends_with(".whl"))
                wheels.emplace_back(a);
            else if (is_local_source(a))
                local.emplace_back(a);
            else
                requirements.push_back(a);
        }
        bubble::PlanOptions plan_options;
        plan_options.prereleases = options->pre;
        plan_options.no_deps = options->no_deps;
        plan_options.reinstall = options->reinstall;
        plan_options.compile = options->compile;
        plan_options.build.no_binary = options->no_binary;
        plan_options.build.only_binary = options->only_binary;
        plan_options.build.isolation = !options->no_build_isolation;
        plan_options.link_mode = options->link_mode;
        for (const auto& f : options->requirement_files) {
            const auto file = resolve::read_requirements_file(f);
            requirements.insert(requirements.end(), file.requirements.begin(),
                                file.requirements.end());
            plan_options.constraints.insert(plan_options.constraints.end(),
                                            file.constraints.begin(), file.constraints.end());
        }
        for (const auto& f : options->constraint_files) {
            const auto file = resolve::read_requirements_file(f);
            plan_options.constraints.insert(plan_options.constraints.end(),
                                            file.requirements.begin(), file.requirements.end());
        }
        if (requirements.empty() && wheels.empty() && local.empty() && options->editables.empty())
            throw Error(ErrorCode::usage, "nothing to install",
                        "name requirements, wheel files, project directories or -r FILE");
        const auto provision = context.provision();
        if (!wheels.empty()) {
            for (const auto& p :
                 bubble::install_wheel_files(provision, wheels, {}, options->link_mode))
                fmt::print("installed {} {} from {}\n", p.name, p.version, p.wheel);
        }
        const auto install_local = [&](const std::filesystem::path& path, bool editable) {
            if (options->dry_run) {
                fmt::print("would build and install {}{}\n", path.string(),
                           editable ? " (editable)" : "");
                return;
            }
            const auto done =
                bubble::install_local_project(provision, path, editable, plan_options);
            for (const auto& d : done.dependencies)
                fmt::print("installed {} {} (a dependency)\n", d.name, d.version);
            fmt::print("installed {} {} from {}{}\n", done.package.name, done.package.version,
                       path.string(), editable ? " (editable)" : "");
        };
        for (const auto& path : local)
            install_local(path, false);
        for (const auto& path : options->editables)
            install_local(path, true);
        if (requirements.empty())
            return;
        if (options->dry_run || !options->report.empty()) {
            const auto plan = bubble::plan_install(provision, requirements, plan_options);
            if (!options->report.empty())
                fs::atomic_write(options->report, report_json(plan, provision.interpreter));
            if (options->dry_run) {
                fmt::print("would install for {}:\n", provision.interpreter.describe());
                for (const auto& p : plan)
                    fmt::print("  {} {}  {}{}\n", p.name, p.version, p.wheel,
                               p.installed
                                   ? (*p.installed == p.version
                                          ? "  (installed)"
                                          : fmt::format("  (main env has {})", *p.installed))
                                   : "");
                return;
            }
        }
        const auto placement = options->main     ? bubble::Placement::main
                               : options->bubble ? bubble::Placement::bubble
                                                 : bubble::Placement::stable_main;
        const auto outcome =
            bubble::install_requirements(provision, requirements, placement, plan_options);
        if (outcome.in_bubbles) {
            if (!outcome.why_bubbles.empty())
                fmt::print("main env kept as it is: {}\n", outcome.why_bubbles);
            for (const auto& b : outcome.bubbles) {
                fmt::print("bubble {}=={} for {}: {}\n", b.name, b.version, b.env_key,
                           b.path.string());
                for (const auto& d : b.distributions)
                    fmt::print("  {} {}\n", d.name, d.version);
            }
            return;
        }
        for (const auto& p : outcome.installed)
            fmt::print("installed {} {}\n", p.name, p.version);
        for (const auto& p : outcome.unchanged)
            if (p.requested)
                fmt::print("{} {} is already installed\n", p.name, p.version);
    });
}

}  // namespace omni::cli
