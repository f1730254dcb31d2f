#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/demo/demos.hpp"
#include "omni/demo/packages.hpp"

namespace omni::cli {

namespace {

void print_table(const demo::DemoTable& table) {
    std::vector<std::size_t> widths(table.header.size(), 0);
    for (std::size_t c = 0; c < table.header.size(); ++c)
        widths[c] = table.header[c].size();
    for (const auto& row : table.rows)
        for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c)
            widths[c] = std::max(widths[c], row[c].size());
    const auto line = [&](const std::vector<std::string>& cells) {
        std::string out = " ";
        for (std::size_t c = 0; c < widths.size(); ++c)
            out += fmt::format(" {:<{}}", c < cells.size() ? cells[c] : "", widths[c]);
        fmt::print("{}\n", out);
    };
    fmt::print("\n  {}\n", table.title);
    line(table.header);
    for (const auto& row : table.rows)
        line(row);
}

}  // namespace

void register_demo_command(CLI::App& app, Context& context) {
    auto* demo_cmd =
        app.add_subcommand("demo", "Guided walkthroughs that work offline (omni demo 1)");
    auto which = std::make_shared<std::string>();
    demo_cmd->add_option("demo", *which, "The demo's number or name; none lists them");
    demo_cmd->callback([&context, which] {
        if (which->empty()) {
            for (const auto& d : demo::demo_list())
                fmt::print("{}  {:<11} {}\n", d.number, d.name, d.title);
            return;
        }
        const auto& info = demo::find_demo(*which);
        const auto& home = context.home();
        fmt::print("omni demo {}: {}\n", info.number, info.title);
        IndexOptions sources;
        sources.no_index = true;
        sources.find_links = {demo::ensure_demo_wheels(home).string()};
        const IndexClient index(home, sources);
        demo::DemoContext demo_context{
            home, context.registry(), index,
            [](const std::string& text) { fmt::print("  -> {}\n", text); }};
        const auto start = std::chrono::steady_clock::now();
        const auto result = demo::run_demo(info, demo_context);
        for (const auto& table : result.tables)
            print_table(table);
        fmt::print("\n");
        for (const auto& line : result.summary)
            fmt::print("  {}\n", line);
        fmt::print("\n{} omni demo {} ({}) in {:.2f}s{}\n", result.passed ? "PASS" : "FAIL",
                   info.number, info.name,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                   result.passed ? "" : ": " + result.failure);
        if (!result.passed)
            throw ChildExit(1);
    });
}

}  // namespace omni::cli
