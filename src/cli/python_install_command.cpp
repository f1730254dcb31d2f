// omni python install | uninstall | update-catalogue | catalogue, and the
// auto-install of `omni swap python`.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/progress_line.hpp"
#include "cli/python_install.hpp"
#include "cli/units.hpp"
#include "omni/python/catalogue.hpp"
#include "omni/python/choice.hpp"
#include "omni/python/managed_install.hpp"
#include "omni/util/log.hpp"

namespace omni::cli {

namespace {

using python::InstallProgress;

// The install's progress: a live line on stderr when it is a terminal
// (bytes of the size, percent, rate), one plain line per phase elsewhere,
// nothing with -q. The line is cleared when the install publishes.
std::function<void(const InstallProgress&)> progress_reporter(bool quiet) {
    const auto mode = progress_mode(quiet, stderr);
    if (mode == ProgressMode::silent)
        return {};
    struct State {
        ProgressLine line;
        std::optional<InstallProgress::Phase> phase;
        std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
        State(ProgressMode m) : line(stderr, m, "python install") {}
    };
    auto state = std::make_shared<State>(mode);
    return [state](const InstallProgress& p) {
        const auto name = p.download->install_name();
        const bool new_phase = state->phase != p.phase;
        state->phase = p.phase;
        switch (p.phase) {
            case InstallProgress::Phase::downloading: {
                if (new_phase) {
                    state->started = std::chrono::steady_clock::now();
                    state->line.note(
                        fmt::format("downloading {}{}", name,
                                    p.total > 0 ? " (" + format_bytes(p.total) + ")" : ""));
                }
                const double seconds =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - state->started)
                        .count();
                std::vector<Counter> counters{{"downloading", ""}};
                if (p.total > 0) {
                    const auto done = std::min(p.bytes, p.total);
                    counters.push_back({format_bytes(done) + " of " + format_bytes(p.total), ""});
                    counters.push_back({std::to_string(100 * done / p.total) + "%", ""});
                } else {
                    counters.push_back({format_bytes(p.bytes), ""});
                }
                if (seconds > 0.2)
                    counters.push_back({format_rate(static_cast<double>(p.bytes) / seconds), ""});
                state->line.update(std::move(counters), name);
                break;
            }
            case InstallProgress::Phase::extracting:
            case InstallProgress::Phase::checking: {
                const bool extracting = p.phase == InstallProgress::Phase::extracting;
                if (new_phase && state->line.mode() == ProgressMode::plain)
                    state->line.note(
                        fmt::format("{} {}", extracting ? "unpacking" : "checking", name));
                state->line.update({{extracting ? "unpacking" : "checking", ""}}, name);
                break;
            }
            case InstallProgress::Phase::publishing:
                state->line.clear();
                break;
        }
    };
}

python::PythonRequest parse_request(const std::string& text) {
    auto request = python::PythonRequest::parse(text);
    if (!request)
        throw request.error();
    return *request;
}

python::InstallOptions install_options(Context& context, const std::string& mirror,
                                       bool reinstall) {
    python::InstallOptions options;
    options.mirror = python::resolve_mirror(context.home(), mirror);
    options.reinstall = reinstall;
    options.progress = progress_reporter(context.options.quiet);
    return options;
}

void print_outcome(const python::InstallOutcome& outcome) {
    using Action = python::InstallOutcome::Action;
    const auto what = outcome.download.describe();
    if (outcome.action == Action::already_installed)
        fmt::print("{} is already installed: {}\n", what, outcome.root.string());
    else
        fmt::print("{} {}: {}\n",
                   outcome.action == Action::reinstalled ? "reinstalled" : "installed", what,
                   outcome.root.string());
}

bool ci() {
    const char* value = std::getenv("CI");
    return value != nullptr && std::string(value) == "true";
}

}  // namespace

void install_missing_python(Context& context, const python::PythonRequest& request, bool yes) {
    try {
        context.registry().find(request);
        return;
    } catch (const Error& e) {
        if (e.code() != ErrorCode::not_found || request.is_path())
            throw;
        const auto policy = python::auto_install_policy(
            context.home(), {yes, ::isatty(STDIN_FILENO) && ::isatty(STDERR_FILENO), ci()});
        const auto catalogue = python::load_catalogue(context.home());
        auto download = python::select_download(catalogue, request, python::Platform::current());
        if (policy == python::AutoInstall::no || !download) {
            const auto hint =
                download ? fmt::format(
                               "'omni python install {}' installs {}, or pass --yes "
                               "(config {})",
                               request.text, download->describe(), python::auto_install_key)
                         : std::string(download.error().what());
            throw Error(e.code(), e.what(), hint);
        }
        if (policy == python::AutoInstall::ask) {
            fmt::print(stderr, "omni: {} is not installed. Download {}? [y/N] ", request.text,
                       download->describe());
            std::fflush(stderr);
            std::string answer;
            std::getline(std::cin, answer);
            if (answer != "y" && answer != "Y" && answer != "yes")
                throw Error(e.code(), e.what(),
                            fmt::format("'omni python install {}' installs it", request.text));
        }
        const auto outcome = python::install_download(context.home(), *download,
                                                      install_options(context, "", false));
        print_outcome(outcome);
        context.registry().refresh();
    }
}

void print_available_downloads(Context& context, bool json) {
    const auto platform = python::Platform::current();
    const auto all = python::load_catalogue(context.home());
    const auto available = python::available_downloads(all, platform);
    const auto installed = [&](const python::Download& d) {
        std::error_code ec;
        return std::filesystem::exists(context.home().interpreters_dir() / d.install_name(), ec);
    };
    if (json) {
        auto out = nlohmann::json::array();
        for (const auto& d : available)
            out.push_back({{"version", d.version.str()},
                           {"name", d.install_name()},
                           {"free_threaded", d.free_threaded},
                           {"prerelease", d.prerelease()},
                           {"variant", d.variant},
                           {"tag", d.tag},
                           {"url", d.url},
                           {"installed", installed(d)}});
        fmt::print("{}\n", out.dump(2));
        return;
    }
    fmt::print("downloads for {} (from {}), newest first:\n", platform.describe(),
               all.origin.empty() ? "built-in" : all.origin);
    for (const auto& d : available) {
        std::string notes;
        if (d.prerelease())
            notes += "  pre-release";
        if (installed(d))
            notes += "  installed";
        fmt::print("  {:<10} {:<22} {}{}\n", d.version.str() + (d.free_threaded ? "t" : ""),
                   d.variant, d.tag, notes);
    }
    if (available.empty())
        fmt::print("  none; 'omni python update-catalogue' fetches the current list\n");
}

void register_python_install_commands(CLI::App& python, Context& context) {
    struct Options {
        std::vector<std::string> requests;
        std::string request;
        std::string mirror;
        bool reinstall = false;
        std::string url;
        int pages = 5;
        bool json = false;
    };
    auto options = std::make_shared<Options>();

    auto* install = python.add_subcommand(
        "install", "Download and install python-build-standalone interpreters");
    install->add_option("request", options->requests,
                        "3.12, cpython@3.11, 3.13.0, >=3.10, 3.15.0rc1 (a pre-release by name); "
                        "none: the nearest .python-version");
    install->add_option("--mirror", options->mirror,
                        "Fetch from a mirror of the release files (also OMNI_PYTHON_MIRROR, "
                        "config python.mirror)");
    install->add_flag("--reinstall", options->reinstall, "Replace an existing install");
    install->callback([&context, options] {
        const auto install_opts = install_options(context, options->mirror, options->reinstall);
        std::vector<python::PythonRequest> requests;
        for (const auto& text : options->requests)
            requests.push_back(parse_request(text));
        if (requests.empty()) {
            auto from_file = python::version_file_request(std::filesystem::current_path());
            if (!context.options.quiet)
                fmt::print(stderr, "{} from {}\n", from_file.request.text,
                           python::describe_origin(from_file.choice));
            requests.push_back(std::move(from_file.request));
        }
        for (const auto& request : requests)
            print_outcome(python::install_python(context.home(), request, install_opts));
        context.registry().refresh();
    });

    auto* uninstall = python.add_subcommand(
        "uninstall", "Remove interpreters installed by 'omni python install'");
    uninstall->add_option("request", options->request, "3.12, cpython@3.11, or a path")->required();
    uninstall->callback([&context, options] {
        const auto removed = python::uninstall_python(context.home(), context.registry(),
                                                      parse_request(options->request));
        for (const auto& dir : removed)
            fmt::print("removed {}\n", dir.string());
    });

    auto* update = python.add_subcommand(
        "update-catalogue", "Refresh the list of downloadable interpreters from GitHub releases");
    update->add_option("--url", options->url, "Releases API URL (GitHub's by default)");
    update->add_option("--pages", options->pages, "Pages of 100 releases to read")
        ->check(CLI::Range(1, 100));
    update->callback([&context, options] {
        python::CatalogueUpdate request;
        if (!options->url.empty())
            request.api_url = options->url;
        request.max_pages = options->pages;
        const auto outcome = python::update_catalogue(context.home(), request);
        fmt::print("wrote {} downloads from {} releases to {}\n", outcome.downloads,
                   outcome.releases, outcome.file.string());
    });

    auto* catalogue =
        python.add_subcommand("catalogue", "List the interpreters 'omni python install' can get");
    catalogue->add_flag("--json", options->json, "Print as JSON");
    catalogue->callback([&context, options] { print_available_downloads(context, options->json); });
}

}  // namespace omni::cli
