#include "cli/matrix_grid.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/matrix_marks.hpp"
#include "cli/text_width.hpp"
#include "cli/units.hpp"
#include "omni/util/ansi.hpp"

namespace omni::cli {

namespace {

using matrix::CellResult;
using matrix::CellStatus;

constexpr std::size_t gap = 2;

struct Column {
    std::string python;
    std::string resolution;
};

struct Layout {
    std::vector<std::string> versions;  // rows, in the order cells name them
    std::vector<Column> columns;
    bool resolutions = false;  // more than one: a second header line
    std::map<std::pair<std::string, std::size_t>, const CellResult*> cells;  // (version, column)
    std::set<std::size_t> boundary;  // cell indices marked ◀
};

template <typename T, typename Eq>
std::size_t index_of(std::vector<T>& list, const T& value, Eq equal) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (equal(list[i], value))
            return i;
    list.push_back(value);
    return list.size() - 1;
}

Layout layout_of(const matrix::MatrixReport& report, const std::set<std::size_t>& boundary) {
    Layout layout;
    layout.boundary = boundary;
    std::set<std::string> resolutions;
    for (const auto& r : report.results)
        resolutions.insert(r.cell.resolution);
    layout.resolutions = resolutions.size() > 1;
    for (const auto& r : report.results) {
        index_of(layout.versions, r.cell.version,
                 [](const std::string& a, const std::string& b) { return a == b; });
        const auto column =
            index_of(layout.columns, Column{r.cell.python, r.cell.resolution},
                     [](const Column& a, const Column& b) {
                         return a.python == b.python && a.resolution == b.resolution;
                     });
        layout.cells[{r.cell.version, column}] = &r;
    }
    return layout;
}

const char* const boundary_mark = "\xe2\x97\x80";  // ◀

std::string cell_text(const Style& style, const CellResult* r, bool with_time,
                      const std::set<std::size_t>& boundary) {
    if (r == nullptr)
        return style.paint(Tone::dim, "\xc2\xb7");  // · not in this report
    std::string text = paint_mark(style, r->status);
    if (with_time)
        text += " " + style.paint(Tone::dim, format_duration(r->duration));
    if (boundary.contains(r->cell.index))
        text += " " + style.paint(Tone::heading, boundary_mark);
    return text;
}

std::size_t column_width(const Layout& layout, std::size_t column, bool with_time) {
    std::size_t width = std::max(
        display_width(layout.columns[column].python),
        layout.resolutions ? display_width(layout.columns[column].resolution) : std::size_t{0});
    const Style plain;
    for (const auto& version : layout.versions) {
        const auto it = layout.cells.find({version, column});
        width = std::max(
            width, display_width(cell_text(plain, it == layout.cells.end() ? nullptr : it->second,
                                           with_time, layout.boundary)));
    }
    return width;
}

std::string render_block(const Layout& layout, const Style& style, std::size_t first,
                         std::size_t last, const std::vector<std::size_t>& widths,
                         std::size_t version_width, bool with_time) {
    std::string out;
    const auto header = [&](auto field) {
        std::string line =
            pad_right(style.paint(Tone::heading, field == 0 ? "version" : ""), version_width);
        for (std::size_t c = first; c < last; ++c) {
            const auto& column = layout.columns[c];
            line += std::string(gap, ' ') +
                    pad_right(style.paint(field == 0 ? Tone::heading : Tone::dim,
                                          field == 0 ? column.python : column.resolution),
                              widths[c]);
        }
        const auto end = line.find_last_not_of(' ');
        out += line.substr(0, end == std::string::npos ? 0 : end + 1) + "\n";
    };
    header(0);
    if (layout.resolutions)
        header(1);
    for (const auto& version : layout.versions) {
        std::string line = pad_right(style.paint(Tone::version, version), version_width);
        for (std::size_t c = first; c < last; ++c) {
            const auto it = layout.cells.find({version, c});
            line += std::string(gap, ' ') +
                    pad_right(cell_text(style, it == layout.cells.end() ? nullptr : it->second,
                                        with_time, layout.boundary),
                              widths[c]);
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out += line + "\n";
    }
    return out;
}

std::string legend(const matrix::MatrixReport& report, const GridOptions& options) {
    const auto& style = options.style;
    std::string out;
    for (auto status : {CellStatus::passed, CellStatus::failed, CellStatus::error,
                        CellStatus::timed_out, CellStatus::skipped}) {
        if (report.count(status) == 0)
            continue;
        out += (out.empty() ? "" : "  ") + paint_mark(style, status) + " " +
               std::string(matrix::to_string(status));
    }
    if (!options.boundary.empty())
        out += "  " + style.paint(Tone::heading, boundary_mark) + " the result changes here";
    return out + "\n";
}

// A detail on one line: its lines joined, runs of spaces as one.
std::string one_line(std::string_view detail) {
    std::string out;
    for (const char c : strip_ansi(detail)) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space) {
            if (!out.empty() && out.back() != ' ')
                out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

// Cells that did not pass, grouped when they failed alike: the same status,
// resolution and failing line, on the same versions (of one or more
// interpreters). Per group: the marks, versions and interpreters; the
// failing line; the log of its first cell.
std::string failures(const matrix::MatrixReport& report, const GridOptions& options) {
    const auto& style = options.style;
    struct Group {
        const CellResult* first;
        std::string detail;
        std::vector<std::string> versions;
        std::vector<std::string> pythons;
    };
    const auto alike = [](const CellResult& a, const CellResult& b) {
        return a.status == b.status && a.cell.resolution == b.cell.resolution;
    };
    // First the versions of each interpreter that failed alike...
    std::vector<Group> groups;
    for (const auto& r : report.results) {
        if (r.status == CellStatus::passed || r.status == CellStatus::skipped)
            continue;
        auto detail = one_line(r.detail);
        const auto same = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
            return alike(*g.first, r) && g.first->cell.python == r.cell.python &&
                   g.detail == detail;
        });
        if (same != groups.end())
            same->versions.push_back(r.cell.version);
        else
            groups.push_back({&r, std::move(detail), {r.cell.version}, {r.cell.python}});
    }
    // ...then the interpreters on which the same versions failed alike.
    std::vector<Group> merged;
    for (auto& g : groups) {
        const auto same = std::find_if(merged.begin(), merged.end(), [&](const Group& m) {
            return alike(*m.first, *g.first) && m.detail == g.detail && m.versions == g.versions;
        });
        if (same != merged.end())
            same->pythons.push_back(g.first->cell.python);
        else
            merged.push_back(std::move(g));
    }
    const auto fit = [&](const std::string& line) {
        return (options.width > 0 ? fit_width(line, options.width) : line) + "\n";
    };
    std::string out;
    for (const auto& g : merged) {
        std::vector<std::string> versions;
        for (const auto& v : g.versions)
            versions.push_back(style.paint(Tone::version, v));
        const auto& resolution = g.first->cell.resolution;
        out += fit(fmt::format("{} {} on {}{}", paint_mark(style, g.first->status),
                               fmt::join(versions, ", "), fmt::join(g.pythons, ", "),
                               resolution == "highest" ? "" : " (" + resolution + ")"));
        if (!g.detail.empty())
            out += fit("  " + g.detail);
        if (!g.first->log.empty())
            out += "  " + style.paint(Tone::path, g.first->log.string()) + "\n";
    }
    return out;
}

}  // namespace

std::string render_grid(const matrix::MatrixReport& report, const GridOptions& options) {
    if (report.results.empty())
        return "no cells\n";
    const auto layout = layout_of(report, options.boundary);
    std::size_t version_width = display_width("version");
    for (const auto& v : layout.versions)
        version_width = std::max(version_width, display_width(v));
    const auto widths_for = [&](bool with_time) {
        std::vector<std::size_t> widths;
        for (std::size_t c = 0; c < layout.columns.size(); ++c)
            widths.push_back(column_width(layout, c, with_time));
        return widths;
    };
    const auto total = [&](const std::vector<std::size_t>& widths) {
        std::size_t sum = version_width;
        for (auto w : widths)
            sum += gap + w;
        return sum;
    };
    bool with_time = true;
    auto widths = widths_for(true);
    if (options.width > 0 && total(widths) > options.width) {
        with_time = false;
        widths = widths_for(false);
    }
    std::string out;
    // Columns in blocks that fit, each with the version column again.
    std::size_t first = 0;
    while (first < layout.columns.size()) {
        std::size_t last = first + 1;
        std::size_t used = version_width + gap + widths[first];
        while (last < layout.columns.size() &&
               (options.width == 0 || used + gap + widths[last] <= options.width)) {
            used += gap + widths[last];
            ++last;
        }
        if (!out.empty())
            out += "\n";
        out += render_block(layout, options.style, first, last, widths, version_width, with_time);
        first = last;
    }
    out += legend(report, options);
    const auto failed = failures(report, options);
    if (!failed.empty())
        out += "\n" + failed;
    return out;
}

}  // namespace omni::cli
