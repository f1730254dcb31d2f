#include "omni/matrix/plan.hpp"

#include <fmt/format.h>

#include "omni/bubble/loader.hpp"
#include "omni/matrix/python_axis.hpp"
#include "omni/python/main_env.hpp"

namespace omni::matrix {

MatrixPlan plan_matrix(const MatrixRequest& request, const Home& home, const IndexClient& index,
                       python::Registry& registry, const python::InterpreterInfo& active) {
    if (request.package.empty())
        throw Error(ErrorCode::usage, "omni matrix needs a package",
                    "omni matrix colorama --python 3.9,3.11");
    MatrixPlan plan;
    auto pythons = request.pythons;
    if (pythons.empty())
        pythons.push_back(active.version.str());
    CellAxes axes;
    plan.from_requires_python = pythons.size() == 1 && pythons.front() == "requires-python";
    if (plan.from_requires_python) {
        // Versions come from the active interpreter's view; each X.Y the
        // package admits becomes an interpreter of the matrix.
        const bubble::ProvisionContext probe{home, index, active,
                                             python::ensure_main_env(home, active)};
        axes.versions = select_versions(probe, request.package, request.versions);
        auto axis =
            requires_python_axis(index, request.package, axes.versions, registry.interpreters());
        if (axis.pythons.empty())
            throw Error(ErrorCode::not_found,
                        fmt::format("no interpreter here is admitted by {} {}", request.package,
                                    request.versions),
                        "'omni python list' shows the interpreters there are");
        pythons = axis.pythons;
        axes.exclude = std::move(axis.exclude);
    }
    // Interpreters are looked up once, before any cell runs.
    for (const auto& request_text : pythons) {
        auto python_request = python::PythonRequest::parse(request_text);
        if (!python_request)
            throw python_request.error();
        const auto selection = registry.find(*python_request);
        const auto env = python::ensure_main_env(home, selection.interpreter);
        bubble::ensure_loader(env, home);
        plan.interpreters.emplace(
            request_text, bubble::ProvisionContext{home, index, selection.interpreter, env});
        axes.pythons.push_back(request_text);
    }
    // Versions are chosen for the first interpreter; others may lack some
    // (their cells error).
    if (!plan.from_requires_python)
        axes.versions = select_versions(plan.interpreters.at(axes.pythons.front()), request.package,
                                        request.versions);
    if (axes.versions.empty())
        throw Error(ErrorCode::not_found, fmt::format("no version of {} matches '{}'",
                                                      request.package, request.versions));
    if (!request.resolutions.empty())
        axes.resolutions = request.resolutions;
    axes.exclude.insert(axes.exclude.end(), request.exclude.begin(), request.exclude.end());
    axes.include = request.include;
    plan.matrix = make_cells(axes);
    plan.cells = plan.matrix;
    if (!request.shard.empty()) {
        auto shard = parse_shard(request.shard);
        if (!shard)
            throw shard.error();
        plan.shard = *shard;
        plan.cells = select_shard(plan.matrix, plan.shard);
    }
    plan.pythons = axes.pythons;
    plan.versions = axes.versions;
    plan.resolutions = axes.resolutions;
    return plan;
}

MatrixReport report_for(const MatrixPlan& plan, const std::string& package,
                        const std::string& test) {
    MatrixReport report;
    report.package = package;
    report.test = test;
    report.shard = plan.shard;
    for (const auto& cell : plan.matrix)
        report.matrix_cells.push_back(cell.id());
    return report;
}

std::string describe_test(const MatrixSetup& setup) {
    if (setup.pytest_args)
        return "pytest " + *setup.pytest_args;
    return setup.test.empty() ? "import and print the version" : setup.test;
}

}  // namespace omni::matrix
