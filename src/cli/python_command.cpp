#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/python_install.hpp"
#include "omni/python/registry.hpp"
#include "omni/util/log.hpp"

namespace omni::cli {

namespace {

// The active interpreter's path, or empty when none can be selected.
std::filesystem::path active_path(Context& context) {
    try {
        return context.selected_interpreter().interpreter.path;
    } catch (const Error& e) {
        logger().info("no active interpreter: {}", e.what());
        return {};
    }
}

}  // namespace

void register_python_command(CLI::App& app, Context& context) {
    auto* python = app.add_subcommand("python", "Find, list and register Python interpreters");
    python->require_subcommand(1);

    struct Options {
        bool json = false;
        bool available = false;
        std::string request;
    };
    auto options = std::make_shared<Options>();

    auto* list = python->add_subcommand("list", "Show every interpreter found");
    list->add_flag("--json", options->json, "Print as JSON");
    list->add_flag("--available", options->available,
                   "List the downloads 'omni python install' can get for this machine instead");
    list->callback([&context, options] {
        if (options->available) {
            print_available_downloads(context, options->json);
            return;
        }
        const auto& found = context.registry().interpreters();
        const auto active = active_path(context);
        if (options->json) {
            auto out = nlohmann::json::array();
            for (const auto& i : found) {
                auto item = python::to_json(i);
                item["active"] = i.path == active;
                out.push_back(std::move(item));
            }
            fmt::print("{}\n", out.dump(2));
            return;
        }
        for (const auto& i : found) {
            fmt::print("{} {:<10} {:<8} {:<8} {}\n", i.path == active ? '*' : ' ',
                       i.version.str() + (i.free_threaded ? "t" : ""), i.implementation,
                       python::to_string(i.source), i.path.string());
        }
        if (found.empty())
            fmt::print("no interpreters found\n");
    });

    auto* find =
        python->add_subcommand("find", "Print the path of the interpreter a request selects");
    find->add_option("request", options->request, "3.11, cpython@3.12, >=3.10, 3.13t or a path")
        ->required();
    find->callback([&context, options] {
        auto request = python::PythonRequest::parse(options->request);
        if (!request)
            throw request.error();
        const auto selection = context.registry().find(*request);
        logger().info("{}", selection.explanation);
        fmt::print("{}\n", selection.interpreter.path.string());
    });

    auto* adopt =
        python->add_subcommand("adopt", "Register an interpreter outside the usual places");
    adopt->add_option("path", options->request, "Path of a python executable")->required();
    adopt->callback([&context, options] {
        const auto info = context.registry().adopt(std::filesystem::absolute(options->request));
        fmt::print("adopted {}\n", info.describe());
    });

    auto* forget =
        python->add_subcommand("forget", "Stop using an interpreter (a path or a request)");
    forget->add_option("target", options->request, "Path or request")->required();
    forget->callback([&context, options] {
        for (const auto& path : context.registry().forget(options->request))
            fmt::print("forgot {}\n", path.string());
    });

    register_python_install_commands(*python, context);
}

}  // namespace omni::cli
