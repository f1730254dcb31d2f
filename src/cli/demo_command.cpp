#include <stdlib.h>

#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/self.hpp"
#include "omni/demo/demo_home.hpp"
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
    struct Options {
        std::string which;
        std::string index;
        std::string package;
        bool here = false;
        bool keep = false;
    };
    auto o = std::make_shared<Options>();
    demo_cmd->add_option("demo", o->which, "The demo's number or name; none lists them");
    demo_cmd->add_option("--index", o->index,
                         "Run against this package index (PEP 503/691 URL) with real packages");
    demo_cmd->add_option("--package", o->package,
                         "The package and three versions the demos use, e.g. "
                         "rich==13.4.2,13.6.0,13.7.1 (the default with --index)");
    demo_cmd->add_flag("--here", o->here,
                       "Run on your own home ($OMNI_HOME) and undo what the demo adds");
    demo_cmd->add_flag("--keep", o->keep, "Keep the scratch home the demo ran in");
    demo_cmd->callback([&context, o] {
        if (o->which.empty()) {
            for (const auto& d : demo::demo_list())
                fmt::print("{}  {:<11} {}\n", d.number, d.name, d.title);
            return;
        }
        const auto& info = demo::find_demo(o->which);
        if (o->here && o->keep)
            throw Error(ErrorCode::usage, "--keep keeps a scratch home; --here uses yours",
                        "pass one of them");
        // A guest by default: a scratch home, for this process and every
        // omni, python or shim it starts.
        std::optional<demo::ScratchHome> scratch;
        if (!o->here) {
            scratch.emplace(demo::ScratchHome::create(Home::from_environment(), info.number));
            ::setenv("OMNI_HOME", scratch->root().c_str(), 1);
            if (o->keep)
                scratch->keep();
            fmt::print("working in a scratch home: {} ({})\n", scratch->root().string(),
                       o->keep ? "kept" : "removed at the end; --keep keeps it");
        }
        const auto& home = context.home();
        std::optional<demo::HomeSnapshot> before;
        if (o->here)
            before = demo::snapshot_home(home);
        demo::DemoSubject subject;
        if (!o->index.empty())
            subject = *demo::DemoSubject::parse("rich==13.4.2,13.6.0,13.7.1");
        if (!o->package.empty()) {
            auto parsed = demo::DemoSubject::parse(o->package);
            if (!parsed)
                throw parsed.error();
            subject = *parsed;
        }
        IndexOptions sources;
        std::vector<std::string> source_args;
        if (o->index.empty()) {
            sources.no_index = true;
            sources.find_links = {demo::ensure_demo_wheels(home).string()};
            source_args = {"--no-index", "--find-links", sources.find_links.front()};
        } else {
            sources = context.index().options();
            sources.index_url = o->index;
            sources.no_index = false;
            sources.find_links.clear();
            source_args = {"--index-url", o->index};
        }
        fmt::print("omni demo {}: {}\n", info.number, info.title);
        if (!subject.builtin)
            fmt::print("  with {} {} from {}\n", subject.name, fmt::join(subject.versions, ", "),
                       o->index.empty() ? "the configured sources" : o->index);
        const IndexClient index(home, sources);
        demo::DemoContext demo_context{
            home,
            context.registry(),
            index,
            [](const std::string& text) { fmt::print("  -> {}\n", text); },
            std::filesystem::read_symlink("/proc/self/exe"),
            source_args,
            subject};
        const auto start = std::chrono::steady_clock::now();
        const auto result = demo::run_demo(info, demo_context);
        if (before) {
            const auto restored = demo::restore_home(home, *before, context.registry(), index);
            refresh_shims(home);
            for (const auto& line : restored.undone)
                fmt::print("  undone: {}\n", line);
        }
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
