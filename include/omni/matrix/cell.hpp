#pragma once
// The cells of a test matrix: interpreters x package versions (x dependency
// resolution strategies), and deterministic shards of them for CI.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "omni/util/error.hpp"

namespace omni::matrix {

struct Cell {
    std::size_t index = 0;   // position in the full, unsharded matrix
    std::string python;      // the interpreter request, e.g. "3.11"
    std::string version;     // the package version under test
    std::string resolution;  // "highest" or "lowest"

    // "py3.11-0.4.6" (plus "-lowest"): a name for logs and reports.
    std::string id() const;
};

struct CellAxes {
    std::vector<std::string> pythons;
    std::vector<std::string> versions;  // newest first
    std::vector<std::string> resolutions{"highest"};
    // "python:version" pairs (either side may be "*") to drop or add.
    std::vector<std::string> exclude;
    std::vector<std::string> include;
};

std::vector<Cell> make_cells(const CellAxes& axes);

struct Shard {
    std::size_t index = 1;  // 1-based
    std::size_t count = 1;
};

// "2/3"; the error names the text and what is allowed.
Result<Shard> parse_shard(std::string_view text);

// Cells whose index falls in the shard (round robin, so shards get a mix of
// old and new versions and similar run times).
std::vector<Cell> select_shard(const std::vector<Cell>& cells, const Shard& shard);

}  // namespace omni::matrix
