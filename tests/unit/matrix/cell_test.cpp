#include <catch2/catch.hpp>
#include <set>

#include "omni/matrix/cell.hpp"

using namespace omni::matrix;

TEST_CASE("matrix: cells are pythons x versions x resolutions with exclusions") {
    CellAxes axes;
    axes.pythons = {"3.9", "3.11"};
    axes.versions = {"0.4.6", "0.4.5", "0.4.4"};
    axes.resolutions = {"highest", "lowest"};
    axes.exclude = {"3.9:0.4.4", "*:0.4.5"};
    axes.include = {"3.12:0.4.6"};
    const auto cells = make_cells(axes);
    REQUIRE(cells.size() == 2 * 2 + 1 * 2 + 1);
    CHECK(cells[0].id() == "py3.9-0.4.6");
    CHECK(cells[1].id() == "py3.9-0.4.6-lowest");
    CHECK(cells.back().id() == "py3.12-0.4.6");
    for (std::size_t i = 0; i < cells.size(); ++i)
        CHECK(cells[i].index == i);
}

TEST_CASE("matrix: shards cover every cell exactly once") {
    CellAxes axes;
    axes.pythons = {"3.9", "3.10", "3.11"};
    for (int v = 0; v < 16; ++v)
        axes.versions.push_back("1." + std::to_string(v));
    const auto cells = make_cells(axes);
    std::multiset<std::size_t> seen;
    for (std::size_t i = 1; i <= 3; ++i) {
        const auto shard = select_shard(cells, *parse_shard(std::to_string(i) + "/3"));
        CHECK(shard.size() == 16);
        for (const auto& c : shard)
            seen.insert(c.index);
    }
    CHECK(seen.size() == cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i)
        CHECK(seen.count(i) == 1);
}

TEST_CASE("matrix: bad shards are clear errors") {
    for (const auto* bad : {"3", "0/3", "4/3", "a/3", "1/0", "1/x", ""}) {
        INFO(bad);
        const auto shard = parse_shard(bad);
        REQUIRE_FALSE(shard);
        CHECK_THAT(shard.error().what(), Catch::Contains("invalid shard"));
    }
    CHECK(parse_shard("2/3")->index == 2);
}
