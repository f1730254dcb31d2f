#include "cli/app.hpp"

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/command_names.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/diagnostics.hpp"
#include "cli/options.hpp"
#include "cli/passthrough.hpp"
#include "cli/self.hpp"
#include "cli/style.hpp"
#include "omni/bubble/seed.hpp"
#include "omni/index/url.hpp"
#include "omni/util/error.hpp"
#include "omni/util/log.hpp"

namespace omni::cli {

namespace {

LogLevel terminal_level(const GlobalOptions& options) {
    if (options.quiet)
        return LogLevel::error;
    switch (options.verbosity) {
        case 0:
            return LogLevel::warn;
        case 1:
            return LogLevel::info;
        case 2:
            return LogLevel::debug;
        default:
            return LogLevel::trace;
    }
}

}  // namespace

int run(int argc, char** argv) {
    bubble::install_pip_seeder();
    Context context;
    CLI::App app{"omni: Python interpreters and side-by-side package versions", "omni"};
    app.set_version_flag("-V,--version", "omni " OMNI_VERSION);
    app.require_subcommand(1);
    app.fallthrough();
    app.add_flag("-v,--verbose", context.options.verbosity, "More output (repeat for more)");
    app.add_flag("-q,--quiet", context.options.quiet, "Only errors");
    app.add_option("--log-file", context.options.log_file, "Also write a debug log to this file");
    app.add_option("--python", context.options.python,
                   "Interpreter for this command only (e.g. 3.11, >=3.10, a path)");
    app.add_option("--env", context.options.env,
                   "Act on this existing venv instead of the main env");
    app.add_option("--index-url,-i", context.options.index_url,
                   "Package index (PEP 503/691), default pypi.org");
    add_repeatable(app, "--extra-index-url", context.options.extra_index_urls,
                   "Another index to search (repeatable)");
    add_repeatable(app, "--find-links,-f", context.options.find_links,
                   "A directory, file:// URL or HTML page of wheels (repeatable)");
    app.add_flag("--no-index", context.options.no_index, "Only --find-links, no index");
    app.add_flag("--offline", context.options.offline, "Only what the cache holds");
    app.add_option("--cert", context.options.cert, "CA bundle (PEM) for HTTPS");
    app.add_option("--proxy", context.options.proxy,
                   "Proxy for every request (scheme://[user:pass@]host:port)");
    app.add_option("--color", context.options.color,
                   "Colour: auto (on a terminal, unless NO_COLOR is set), always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    app.parse_complete_callback([&] {
        const auto color =
            parse_color_choice(context.options.color).value_or(ColorChoice::automatic);
        configure_styles(color);
        configure_logging({terminal_level(context.options), context.options.log_file,
                           err_style().enabled(), [](std::string_view text) {
                               // An --index-url or a find-links page may carry a password.
                               return redact_credentials(text);
                           }});
    });

    register_config_command(app, context);
    register_python_command(app, context);
    register_swap_command(app, context);
    register_shell_init_command(app, context);
    register_bubble_command(app, context);
    register_workers_command(app, context);
    register_install_command(app, context);
    register_exec_command(app, context);
    register_list_command(app, context);
    register_freeze_command(app, context);
    register_lock_command(app, context);
    register_sync_command(app, context);
    register_run_command(app, context);
    register_matrix_command(app, context);
    register_demo_command(app, context);
    register_completion_command(app, context);
    register_doctor_command(app, context);
    register_versions_command(app, context);
    register_cache_command(app, context);
    register_uninstall_command(app, context);
    register_history_command(app, context);
    register_revert_command(app, context);
    register_info_command(app, context);
    register_shims_commands(app, context);
    register_venv_command(app, context);
    register_help_command(app);

    try {
        const auto takes_value = [&app](std::string_view arg) {
            const std::string word(arg);
            return takes_next_value(app, word) ||
                   takes_next_value(*app.get_subcommand("exec"), word) ||
                   takes_next_value(*app.get_subcommand("run"), word);
        };
        const auto split = split_command_line(argc, argv, takes_value);
        check_command_name(app, {split.omni.begin() + 1, split.omni.end()});
        context.options.passthrough = split.passthrough;
        std::vector<std::string> reversed(split.omni.rbegin(), split.omni.rend() - 1);
        app.parse(reversed);
        // Installs, uninstalls and reverts change the main envs' scripts.
        if (app.got_subcommand("install") || app.got_subcommand("uninstall") ||
            app.got_subcommand("revert"))
            refresh_shims(context.home());
        context.finish_progress();
    } catch (const CLI::ParseError& e) {
        // --help and --version arrive here too, with status 0.
        return app.exit(e) == 0 ? 0 : exit_status(ErrorCode::usage);
    } catch (const ChildExit& e) {
        context.finish_progress();
        return e.code;
    } catch (const Error& e) {
        context.finish_progress();
        print_error(e);
        return exit_status(e.code());
    } catch (const std::filesystem::filesystem_error& e) {
        const int code = e.code().value();
        print_error(
            code == ENOSPC || code == EDQUOT
                ? Error(ErrorCode::io,
                        fmt::format("cannot write '{}': the disk is full", e.path1().string()),
                        "free some space on that file system and run the command again")
                : Error(ErrorCode::io, e.what()));
        return exit_status(ErrorCode::io);
    } catch (const std::exception& e) {
        print_error(Error(ErrorCode::internal, e.what()));
        return exit_status(ErrorCode::internal);
    }
    return 0;
}

}  // namespace omni::cli
