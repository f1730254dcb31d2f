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

struct CellResult {
    Cell cell;
    CellStatus status = CellStatus::skipped;
    int exit_code = 0;
    std::chrono::milliseconds duration{0};
    std::filesystem::path log;
    std::string detail;  // the last line of a failure, or why a cell errored
};

struct MatrixReport {
    std::string package;
    std::string test;                 // the command each cell ran
    std::vector<CellResult> results;  // in cell index order
    std::chrono::milliseconds wall{0};
    std::size_t jobs = 1;

    bool all_passed() const;
    std::size_t count(CellStatus status) const;
};

std::string to_json(const MatrixReport& report);
Result<MatrixReport> report_from_json(std::string_view text, std::string_view source);
// Combines shard reports: every cell once, in index order. A cell reported
// by two shards is an error naming it.
Result<MatrixReport> merge(const std::vector<MatrixReport>& shards);

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
