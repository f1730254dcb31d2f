#include "omni/matrix/cell.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace omni::matrix {

namespace {

bool pair_matches(const std::string& pattern, const Cell& cell) {
    const auto colon = pattern.find(':');
    const std::string python = pattern.substr(0, colon);
    const std::string version = colon == std::string::npos ? "*" : pattern.substr(colon + 1);
    return (python == "*" || python == cell.python) && (version == "*" || version == cell.version);
}

}  // namespace

std::string Cell::id() const {
    return fmt::format("py{}-{}{}", python, version,
                       resolution == "highest" ? "" : "-" + resolution);
}

std::vector<Cell> make_cells(const CellAxes& axes) {
    std::vector<Cell> cells;
    for (const auto& python : axes.pythons)
        for (const auto& version : axes.versions)
            for (const auto& resolution : axes.resolutions) {
                Cell cell{0, python, version, resolution};
                const bool excluded =
                    std::any_of(axes.exclude.begin(), axes.exclude.end(),
                                [&](const auto& p) { return pair_matches(p, cell); });
                if (!excluded)
                    cells.push_back(std::move(cell));
            }
    for (const auto& extra : axes.include) {
        const auto colon = extra.find(':');
        if (colon == std::string::npos)
            continue;
        Cell cell{0, extra.substr(0, colon), extra.substr(colon + 1), "highest"};
        const bool present = std::any_of(cells.begin(), cells.end(), [&](const Cell& c) {
            return c.python == cell.python && c.version == cell.version;
        });
        if (!present)
            cells.push_back(std::move(cell));
    }
    for (std::size_t i = 0; i < cells.size(); ++i)
        cells[i].index = i;
    return cells;
}

Result<Shard> parse_shard(std::string_view text) {
    const auto slash = text.find('/');
    Shard shard;
    const auto bad = [&](std::size_t pos, std::string_view why) {
        return std::unexpected(parse_error("shard", text, pos, why));
    };
    if (slash == std::string_view::npos)
        return bad(text.size(), "expected I/N, e.g. 2/3");
    const auto* first = text.data();
    if (std::from_chars(first, first + slash, shard.index).ptr != first + slash)
        return bad(0, "expected a whole number");
    if (std::from_chars(first + slash + 1, first + text.size(), shard.count).ptr !=
        first + text.size())
        return bad(slash + 1, "expected a whole number");
    if (shard.count == 0)
        return bad(slash + 1, "the shard count must be at least 1");
    if (shard.index == 0 || shard.index > shard.count)
        return bad(0, fmt::format("the shard number must be 1 to {}", shard.count));
    return shard;
}

std::vector<Cell> select_shard(const std::vector<Cell>& cells, const Shard& shard) {
    std::vector<Cell> out;
    for (const auto& cell : cells)
        if (cell.index % shard.count == shard.index - 1)
            out.push_back(cell);
    return out;
}

}  // namespace omni::matrix
