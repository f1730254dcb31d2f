#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <thread>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/matrix_grid.hpp"
#include "cli/matrix_progress.hpp"
#include "cli/style.hpp"
#include "cli/terminal.hpp"
#include "cli/text_width.hpp"
#include "omni/matrix/bisect.hpp"
#include "omni/matrix/html_report.hpp"
#include "omni/matrix/plan.hpp"
#include "omni/util/ansi.hpp"
#include "omni/util/fs.hpp"

namespace omni::cli {

namespace {

struct MatrixOptions {
    std::string package;
    std::vector<std::string> pythons;
    std::string versions;
    std::vector<std::string> exclude;
    std::vector<std::string> include;
    std::string test;
    std::vector<std::string> resolutions;
    std::string pytest;
    bool use_pytest = false;
    bool worktree = false;
    std::size_t jobs = 0;
    std::string json;
    std::string junit;
    std::string html;
    std::string format;  // grid, table or lines; default grid on a terminal, else table
    std::string shard;
    std::string emit;
    bool fail_fast = false;
    int timeout = 600;
    bool keep = false;
    bool bisect = false;
    std::vector<std::string> merge_files;
};

// `boundary`: the cells either side of where a bisection saw the result change.
void write_outputs(const matrix::MatrixReport& report, const MatrixOptions& o,
                   const std::set<std::size_t>& boundary = {}) {
    if (!o.json.empty())
        fs::atomic_write(o.json, matrix::to_json(report));
    if (!o.junit.empty())
        fs::atomic_write(o.junit, matrix::to_junit(report));
    if (!o.html.empty()) {
        matrix::HtmlOptions html;
        html.boundary = boundary;
        fs::atomic_write(o.html, matrix::to_html(report, html));
    }
}

// One line per cell in cell order, for grep and awk: id, status, seconds, log, detail.
std::string cell_lines(const matrix::MatrixReport& report) {
    std::string out;
    for (const auto& r : report.results)
        out += fmt::format(
            "{} {} {:.2f}s {}{}\n", r.cell.id(),
            r.status == matrix::CellStatus::timed_out ? "timed-out" : matrix::to_string(r.status),
            std::chrono::duration<double>(r.duration).count(), r.log.string(),
            r.detail.empty() ? "" : "  " + strip_ansi(r.detail));
    return out;
}

// A line of the summary: on a terminal broken at spaces to its width.
void print_line(const std::string& text) {
    if (is_terminal(STDOUT_FILENO))
        fmt::print("{}", wrap_words(text, terminal_width(STDOUT_FILENO)));
    else
        fmt::print("{}\n", text);
}

std::string summary_format(const MatrixOptions& o) {
    if (!o.format.empty())
        return o.format;
    return is_terminal(STDOUT_FILENO) ? "grid" : "table";
}

void print_summary(const matrix::MatrixReport& report, const MatrixOptions& o) {
    const auto& style = out_style();
    const auto format = summary_format(o);
    if (format == "grid")
        fmt::print("\n{}",
                   render_grid(report, {is_terminal(STDOUT_FILENO) ? terminal_width(STDOUT_FILENO)
                                                                   : std::size_t{0},
                                        style}));
    else if (format == "lines")
        fmt::print("{}", cell_lines(report));
    else
        fmt::print("\n{}", matrix::to_table(report));
    for (const auto& line : matrix::passing_range(report))
        print_line(line);
    const auto passed = report.count(matrix::CellStatus::passed);
    const auto failed = report.results.size() - passed;
    print_line(fmt::format(
        "{} cells: {}, {} ({} errors, {} timed out, {} skipped) in {:.1f}s with {} jobs",
        report.results.size(),
        style.paint(passed > 0 ? Tone::passed : Tone::dim, fmt::format("{} passed", passed)),
        style.paint(failed > 0 ? Tone::failed : Tone::dim, fmt::format("{} failed", failed)),
        report.count(matrix::CellStatus::error), report.count(matrix::CellStatus::timed_out),
        report.count(matrix::CellStatus::skipped),
        std::chrono::duration<double>(report.wall).count(), report.jobs));
}

void run_bisection(const matrix::MatrixPlan& plan, const matrix::MatrixSetup& setup,
                   const MatrixOptions& o, matrix::MatrixReport& report,
                   std::chrono::steady_clock::time_point start) {
    fmt::print("bisecting {} versions on {} interpreter{}\n", plan.versions.size(),
               plan.pythons.size(), plan.pythons.size() == 1 ? "" : "s");
    std::size_t done = 0;
    const auto results = matrix::bisect(
        plan, matrix::make_executor(setup), o.jobs, [&](const matrix::CellResult& r) {
            fmt::print("[{}] {:<24} {:<10} {:>6.2f}s  {}\n", ++done, r.cell.id(),
                       to_string(r.status), std::chrono::duration<double>(r.duration).count(),
                       r.log.string());
            std::fflush(stdout);
        });
    fmt::print("\n");
    std::set<std::size_t> boundary;
    for (const auto& b : results) {
        if (b.changed()) {
            boundary.insert(b.after->cell.index);
            boundary.insert(b.before->cell.index);
        }
        fmt::print("{}\n", b.summary());
        if (b.changed())
            fmt::print("  log of {}: {}\n  log of {}: {}\n", b.after->cell.version,
                       b.after->log.string(), b.before->cell.version, b.before->log.string());
        for (const auto& r : b.cells)
            report.results.push_back(r);
        report.bisections.push_back(b.finding());
    }
    std::sort(report.results.begin(), report.results.end(),
              [](const auto& a, const auto& b) { return a.cell.index < b.cell.index; });
    report.wall = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    report.jobs = o.jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : o.jobs;
    write_outputs(report, o, boundary);
    if (summary_format(o) == "grid")
        fmt::print("\n{}",
                   render_grid(report, {terminal_width(STDOUT_FILENO), out_style(), boundary}));
    fmt::print("{} cells in {:.1f}s\n", report.results.size(),
               std::chrono::duration<double>(report.wall).count());
}

}  // namespace

void register_matrix_command(CLI::App& app, Context& context) {
    auto* matrix_cmd =
        app.add_subcommand("matrix", "Test a package across versions x interpreters in parallel");
    auto o = std::make_shared<MatrixOptions>();
    matrix_cmd->add_option("package", o->package, "The package to test");
    matrix_cmd
        ->add_option("--python", o->pythons,
                     "Interpreters, e.g. 3.9,3.10,3.11, or requires-python (every one the package "
                     "admits; default: the active one)")
        ->delimiter(',');
    matrix_cmd->add_option("--versions", o->versions,
                           "all, last:N, a list (1.0,1.1) or a specifier (default: newest 8)");
    matrix_cmd->add_option("--exclude", o->exclude, "Drop cells PYTHON:VERSION (either may be *)");
    matrix_cmd->add_option("--include", o->include, "Add cells PYTHON:VERSION");
    matrix_cmd->add_option(
        "--test", o->test,
        "Shell command run in each cell (default: import and print the version)");
    matrix_cmd
        ->add_option("--resolution", o->resolutions,
                     "Dependency versions per cell: highest, lowest or both (highest,lowest)")
        ->delimiter(',')
        ->check(CLI::IsMember({"highest", "lowest"}));
    auto* pytest = matrix_cmd->add_option(
        "--pytest", o->pytest,
        "Run this project's tests with pytest in each cell, with optional ARGS (one string)");
    pytest->expected(0, 1);
    matrix_cmd->add_flag("--worktree", o->worktree,
                         "Run each cell in its own git worktree of this repository at HEAD");
    matrix_cmd->add_option("-j,--jobs", o->jobs, "Worker threads (default: one per core)");
    matrix_cmd->add_option("--json", o->json, "Write the report as JSON");
    matrix_cmd->add_option("--junit", o->junit, "Write the report as JUnit XML");
    matrix_cmd->add_option("--html", o->html,
                           "Write the report as one self-contained HTML page (grid, logs)");
    matrix_cmd
        ->add_option("--format", o->format,
                     "The summary: grid (default on a terminal), table (default elsewhere) or "
                     "lines (one per cell)")
        ->check(CLI::IsMember({"grid", "table", "lines"}));
    matrix_cmd->add_option("--shard", o->shard, "Run only shard I of N (I/N)");
    matrix_cmd->add_option("--emit", o->emit,
                           "Print a CI matrix of N shards: github or gitlab (with --shard 1/N)");
    matrix_cmd->add_flag("--fail-fast", o->fail_fast,
                         "Stop starting cells after the first failure");
    matrix_cmd->add_option("--timeout", o->timeout, "Seconds per cell")->check(CLI::PositiveNumber);
    matrix_cmd->add_flag("--keep", o->keep, "Keep each cell's directory next to its log");
    matrix_cmd->add_flag("--bisect", o->bisect,
                         "Find, per interpreter, the first version where the result changes "
                         "(binary search over --versions, default all)");

    auto* merge = matrix_cmd->add_subcommand("merge", "Combine shard reports into one");
    merge->add_option("reports", o->merge_files, "JSON reports of the shards")->required();
    merge->add_option("--json", o->json, "Write the merged report as JSON");
    merge->add_option("--junit", o->junit, "Write the merged report as JUnit XML");
    merge->add_option("--html", o->html, "Write the merged report as one HTML page");
    merge->add_option("--format", o->format, "The summary: grid, table or lines")
        ->check(CLI::IsMember({"grid", "table", "lines"}));
    merge->callback([o] {
        std::vector<matrix::MatrixReport> shards;
        for (const auto& file : o->merge_files) {
            auto report = matrix::report_from_json(fs::read_file(file), file);
            if (!report)
                throw report.error();
            shards.push_back(std::move(*report));
        }
        auto merged = matrix::merge(shards);
        if (!merged)
            throw merged.error();
        write_outputs(*merged, *o);
        print_summary(*merged, *o);
        if (!merged->all_passed())
            throw ChildExit(1);
    });

    matrix_cmd->callback([&context, o, matrix_cmd, pytest] {
        if (matrix_cmd->got_subcommand("merge"))
            return;
        if (!o->emit.empty()) {
            auto shard = matrix::parse_shard(o->shard.empty() ? "1/1" : o->shard);
            if (!shard)
                throw shard.error();
            if (o->emit == "github")
                fmt::print("{}", matrix::emit_github(shard->count));
            else if (o->emit == "gitlab")
                fmt::print("{}", matrix::emit_gitlab(shard->count));
            else
                throw Error(ErrorCode::invalid_input,
                            fmt::format("--emit '{}' is not github or gitlab", o->emit));
            return;
        }
        const auto& home = context.home();
        matrix::MatrixSetup setup;
        setup.package = o->package;
        setup.test = o->test;
        if (pytest->count() > 0) {
            if (!o->test.empty())
                throw Error(ErrorCode::usage, "--test and --pytest cannot be used together",
                            "pick one: a shell command, or pytest with its arguments");
            setup.pytest_args = o->pytest;
        }
        setup.project_dir = std::filesystem::current_path();
        if (o->worktree)
            setup.worktree = matrix::GitProject::locate(setup.project_dir);
        setup.timeout = std::chrono::seconds(o->timeout);
        setup.keep = o->keep;

        if (o->bisect && !o->shard.empty())
            throw Error(ErrorCode::usage, "--bisect and --shard cannot be used together",
                        "a bisection runs its cells one after another; run it whole");
        if (o->bisect && (o->resolutions.size() > 1 ||
                          (o->resolutions.size() == 1 && o->resolutions.front() != "highest")))
            throw Error(ErrorCode::usage, "--bisect searches the highest resolution only",
                        "leave out --resolution");
        const matrix::MatrixRequest request{
            o->package,     o->pythons, o->bisect && o->versions.empty() ? "all" : o->versions,
            o->resolutions, o->exclude, o->include,
            o->shard};
        auto plan = matrix::plan_matrix(request, home, context.index(), context.registry(),
                                        context.selected_interpreter().interpreter);
        // From here the matrix's own line shows progress; the index's goes.
        context.own_the_terminal_line();
        if (plan.from_requires_python)
            print_line(fmt::format("interpreters admitted by {}: {}", o->package,
                                   fmt::join(plan.pythons, ", ")));
        setup.interpreters = plan.interpreters;
        const auto stamp = fmt::format("{:%Y%m%dT%H%M%S}", fmt::gmtime(std::time(nullptr)));
        setup.log_dir =
            home.root() / "matrix" / fmt::format("{}-{}-{}", o->package, stamp, ::getpid());
        std::filesystem::create_directories(setup.log_dir);
        if (!o->bisect)
            print_line(fmt::format(
                "{} cells for {} ({} versions x {} interpreters{}{}), logs in {}",
                plan.cells.size(), o->package, plan.versions.size(), plan.pythons.size(),
                plan.resolutions.size() > 1
                    ? fmt::format(" x {} resolutions", plan.resolutions.size())
                    : "",
                plan.shard.count > 1 ? fmt::format(", shard {}/{} of {} cells", plan.shard.index,
                                                   plan.shard.count, plan.matrix.size())
                                     : "",
                setup.log_dir.string()));
        const auto start = std::chrono::steady_clock::now();
        auto report = matrix::report_for(plan, o->package, matrix::describe_test(setup));
        if (o->bisect) {
            run_bisection(plan, setup, *o, report, start);
            return;
        }
        report.jobs = o->jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : o->jobs;
        {
            MatrixProgress progress(plan.cells.size(), progress_mode(context.options.quiet, stdout),
                                    summary_format(*o) == "lines");
            report.results = matrix::run_cells(plan.cells, matrix::make_executor(setup),
                                               {o->jobs, o->fail_fast}, progress.events());
        }
        report.wall = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
        write_outputs(report, *o);
        print_summary(report, *o);
        if (!report.all_passed())
            throw ChildExit(1);
    });
}

}  // namespace omni::cli
