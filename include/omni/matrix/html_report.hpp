#pragma once
// The matrix report as one self-contained HTML page, the artifact a
// maintainer opens from CI: a summary, the grid (versions x interpreters,
// one coloured mark per cell), a filter by status, and per cell its
// evidence, time and log (collapsed). No network, no external assets: the
// CSS and the few lines of script are inline. Every string from outside
// (package names, versions, details, logs) is escaped as text, with escape
// sequences and characters HTML forbids removed.
#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "omni/matrix/report.hpp"

namespace omni::matrix {

struct HtmlOptions {
    // The log text of a cell; the default reads `result.log` when the file is
    // there (shards merged elsewhere may not have it).
    std::function<std::optional<std::string>(const CellResult& result)> read_log;
    // A longer log keeps its first quarter and last three quarters of this.
    std::size_t log_limit = 256 * 1024;
    // Indices of the cells either side of where the result changes
    // (--bisect), marked in the grid.
    std::set<std::size_t> boundary;
};

std::string to_html(const MatrixReport& report, const HtmlOptions& options = {});

// `text` safe as HTML text or a quoted attribute value: & < > " ' escaped,
// invalid UTF-8, control characters other than tab and newline, and
// noncharacters replaced by U+FFFD.
std::string html_escape(std::string_view text);

}  // namespace omni::matrix
