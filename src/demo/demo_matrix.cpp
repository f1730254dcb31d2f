// Demo 4: sixteen versions of one package tested in parallel; the release
// that shipped broken is found.
#include <thread>

#include <fmt/format.h>

#include "demo/demo_common.hpp"
#include "omni/matrix/matrix_run.hpp"

namespace omni::demo {

DemoResult run_matrix(DemoContext& context) {
    const auto interpreter = pick_interpreters(context, {"3.11", "3.12", "3.10"}, 1).front();
    // The built-in package has a release broken on purpose; a real one is
    // tested at the subject's three versions with the default import test.
    const bool builtin = context.subject.builtin;
    matrix::MatrixSetup setup;
    setup.package = builtin ? "omni-demo-colors" : context.subject.name;
    if (builtin)
        setup.test =
            "python -c \"import omni_demo_colors as c; print(c.paint('colors ' + c.__version__))\"";
    setup.timeout = std::chrono::seconds(120);
    setup.log_dir = context.home.root() / "demo" / "matrix-logs";
    std::filesystem::create_directories(setup.log_dir);
    const auto key = fmt::format("{}.{}", interpreter.version.major, interpreter.version.minor);
    setup.interpreters.emplace(key, provision(context, interpreter));
    matrix::CellAxes axes;
    axes.pythons = {key};
    axes.versions = builtin
                        ? matrix::select_versions(setup.interpreters.at(key), setup.package, "all")
                        : context.subject.versions;
    const auto cells = matrix::make_cells(axes);
    const std::size_t jobs = std::max(2u, std::thread::hardware_concurrency());
    context.say(fmt::format(
        "{} versions of {} on Python {}, {} worker threads, one bubble and one log per cell",
        axes.versions.size(), setup.package, interpreter.version.str(), jobs));
    const auto start = Clock::now();
    const auto results = matrix::run_cells(cells, matrix::make_executor(setup), {jobs, false});
    const double wall = seconds_since(start);
    DemoResult result;
    DemoTable table{"cells", {"version", "status", "time", "log"}, {}};
    std::vector<std::string> failed;
    double sum = 0;
    for (const auto& r : results) {
        table.rows.push_back({r.cell.version, std::string(matrix::to_string(r.status)),
                              ms(std::chrono::duration<double>(r.duration).count()),
                              r.status == matrix::CellStatus::passed ? "" : r.log.string()});
        sum += std::chrono::duration<double>(r.duration).count();
        if (r.status != matrix::CellStatus::passed)
            failed.push_back(r.cell.version);
    }
    result.tables.push_back(table);
    result.summary.push_back(fmt::format("{} cells in {} wall time ({} of cell time)",
                                         results.size(), ms(wall), ms(sum)));
    result.summary.push_back(failed.empty() ? "no version failed"
                                            : fmt::format("failing: {}", fmt::join(failed, ", ")));
    if (builtin) {
        result.passed = failed == std::vector<std::string>{"0.13"} && results.size() == 16;
        if (!result.passed)
            result.failure = "expected exactly 0.13 to fail";
    } else {
        result.passed = failed.empty() && !results.empty();
        if (!result.passed)
            result.failure = fmt::format("{} failed (see the logs)", fmt::join(failed, ", "));
    }
    return result;
}

}  // namespace omni::demo
