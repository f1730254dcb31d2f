#pragma once
// Results of a matrix run, and the forms CI reads: a table, JSON (which
// shards merge), JUnit XML, and the CI matrix definitions for sharding.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "omni/matrix/cell.hpp"

namespace omni::matrix {

enum class CellStatus { passed, failed, error, timed_out, skipped };
std::string_view to_string(CellStatus status);

// What a cell really imported, as the cell's own Python processes saw it:
// every process that imported the tested package recorded the version its
// metadata reports and the file the module came from (src/matrix/cell_site.py).
struct CellEvidence {
    std::string module;   // the top-level module checked ("" when nothing imported it)
    std::string version;  // as importlib.metadata (or the backport, or the dist-info) reports
    std::filesystem::path file;  // where the module was imported from
    std::string via;             // "importlib.metadata", "importlib_metadata" or "dist-info"
    std::size_t processes = 0;   // how many processes imported it
    bool from_bubble = false;    // `file` is inside the cell's bubble
    // The version is the cell's and the file is inside the cell's bubble, in
    // every process. False makes the cell fail as "wrong version imported".
    bool matches = false;

    bool present() const { return !module.empty(); }
};

struct CellResult {
    Cell cell;
    CellStatus status = CellStatus::skipped;
    int exit_code = 0;
    std::chrono::milliseconds duration{0};
    std::filesystem::path log;
    std::string detail;  // the last line of a failure, or why a cell errored
    CellEvidence evidence;
};

// What `--bisect` found on one interpreter, for the JSON report: the
// versions either side of where the result changed (empty when it did not).
struct BisectFinding {
    std::string python;
    std::size_t versions = 0;           // how many versions the search covered
    std::size_t cells_run = 0;          // how many of them ran
    std::string before, before_status;  // the newest version with the oldest's result
    std::string after, after_status;    // the oldest version with the newest's result
    std::string summary;                // the line omni printed for it
};

struct MatrixReport {
    std::string package;
    std::string test;                 // the command each cell ran
    std::vector<CellResult> results;  // in cell index order
    // Which part of the matrix this report holds: shard i of N, and the ids
    // of every cell of the whole (unsharded) matrix, in index order, so that
    // `merge` can tell an incomplete or overlapping set of shards.
    Shard shard;
    std::vector<std::string> matrix_cells;
    std::chrono::milliseconds wall{0};
    std::size_t jobs = 1;
    std::vector<BisectFinding> bisections;  // one per interpreter with --bisect

    bool all_passed() const;
    std::size_t count(CellStatus status) const;
};

std::string to_json(const MatrixReport& report);
Result<MatrixReport> report_from_json(std::string_view text, std::string_view source);
// Combines shard reports: every cell once, in index order. The shards must
// be of one matrix (same package, test, N and cell set), each shard 1..N
// exactly once, and together hold every cell once; otherwise the error names
// what is missing or reported twice.
Result<MatrixReport> merge(const std::vector<MatrixReport>& shards);

// A cell's evidence in one line: "0.4.6 from the bubble" or "0.4.6 from /x/colorama/__init__.py".
std::string describe(const CellEvidence& evidence);

std::string to_junit(const MatrixReport& report);

// Failures first (with their logs), then passes; one row per cell.
std::string to_table(const MatrixReport& report);
// "3.11: newest passing 0.4.6, oldest passing 0.4.1" per interpreter.
std::vector<std::string> passing_range(const MatrixReport& report);

// `strategy.matrix` JSON for GitHub Actions and `parallel: matrix` YAML for
// GitLab, one entry per shard.
std::string emit_github(std::size_t shards);
std::string emit_gitlab(std::size_t shards);

}  // namespace omni::matrix
