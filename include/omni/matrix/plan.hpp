#pragma once
// From what the user asked (`omni matrix PKG --python ... --versions ...`)
// to the cells to run: interpreters looked up (or taken from the package's
// Requires-Python), versions chosen from the index, the axes crossed, and
// the shard cut out. Planning reads the index but builds nothing.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "omni/bubble/provision.hpp"
#include "omni/matrix/cell.hpp"
#include "omni/matrix/matrix_run.hpp"
#include "omni/matrix/report.hpp"
#include "omni/python/registry.hpp"

namespace omni::matrix {

struct MatrixRequest {
    std::string package;
    // Interpreter requests ("3.9"), or {"requires-python"}; empty: the active one.
    std::vector<std::string> pythons;
    std::string versions;  // see select_versions
    std::vector<std::string> resolutions;
    std::vector<std::string> exclude;
    std::vector<std::string> include;
    std::string shard;  // "I/N"; empty: the whole matrix
};

struct MatrixPlan {
    std::vector<std::string> pythons;   // the interpreter axis, as requested
    std::vector<std::string> versions;  // newest first
    std::vector<std::string> resolutions;
    bool from_requires_python = false;
    std::vector<Cell> matrix;  // every cell of the whole matrix, in index order
    std::vector<Cell> cells;   // the shard's cells (all of them without --shard)
    Shard shard;
    // One provisioning context per interpreter request, for MatrixSetup.
    std::map<std::string, bubble::ProvisionContext> interpreters;
};

// `active` is the interpreter used when no --python is given, and whose view
// of the index chooses the versions with --python requires-python.
MatrixPlan plan_matrix(const MatrixRequest& request, const Home& home, const IndexClient& index,
                       python::Registry& registry, const python::InterpreterInfo& active);

// The report skeleton for a plan: package, shard and the matrix's cell set.
MatrixReport report_for(const MatrixPlan& plan, const std::string& package,
                        const std::string& test);

// What a run's `test` field says: the command, "pytest ARGS", or the default.
std::string describe_test(const MatrixSetup& setup);

}  // namespace omni::matrix
