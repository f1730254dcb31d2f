#include <catch2/catch.hpp>

#include "omni/matrix/report.hpp"

using namespace omni::matrix;
using std::chrono::milliseconds;

namespace {
MatrixReport sample() {
    MatrixReport r;
    r.package = "colorama";
    r.test = "python -c 'import colorama'";
    r.jobs = 2;
    r.results = {
        {{0, "3.11", "0.4.6", "highest"},
         CellStatus::passed,
         0,
         milliseconds(1200),
         "/logs/a.log",
         ""},
        {{1, "3.11", "0.4.5", "highest"},
         CellStatus::failed,
         1,
         milliseconds(900),
         "/logs/b.log",
         "AssertionError: <bad>"},
        {{2, "3.11", "0.4.4", "highest"},
         CellStatus::passed,
         0,
         milliseconds(800),
         "/logs/c.log",
         ""},
        {{3, "3.9", "0.4.6", "highest"},
         CellStatus::timed_out,
         -1,
         milliseconds(5000),
         "/logs/d.log",
         "timed out"},
    };
    return r;
}
}  // namespace

TEST_CASE("matrix report: JSON round-trips") {
    const auto original = sample();
    const auto back = report_from_json(to_json(original), "r.json");
    REQUIRE(back);
    CHECK(to_json(*back) == to_json(original));
    CHECK_FALSE(report_from_json("{}", "x.json"));
    CHECK_THAT(report_from_json("nope", "x.json").error().what(), Catch::Contains("'x.json'"));
}

TEST_CASE("matrix report: shards merge back into the whole report") {
    const auto whole = sample();
    MatrixReport a = whole, b = whole;
    a.results = {whole.results[0], whole.results[2]};
    b.results = {whole.results[3], whole.results[1]};
    const auto merged = merge({b, a});
    REQUIRE(merged);
    CHECK(merged->results.size() == 4);
    for (std::size_t i = 0; i < 4; ++i)
        CHECK(merged->results[i].cell.index == i);
    CHECK_FALSE(merge({a, a}));
}

TEST_CASE("matrix report: JUnit XML counts and escapes") {
    const auto xml = to_junit(sample());
    CHECK_THAT(xml, Catch::Contains("tests=\"4\" failures=\"2\" errors=\"0\""));
    CHECK_THAT(xml,
               Catch::Contains(
                   "<failure message=\"AssertionError: &lt;bad&gt;\">log: /logs/b.log</failure>"));
    CHECK_THAT(xml, Catch::Contains("name=\"py3.11-0.4.6\""));
}

TEST_CASE("matrix report: table lists failures first; passing range per interpreter") {
    const auto table = to_table(sample());
    CHECK(table.find("failed") < table.find("passed"));
    CHECK(table.find("timed out") < table.find("passed"));
    CHECK_THAT(table, Catch::Contains("/logs/b.log"));
    const auto lines = passing_range(sample());
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "3.11: newest passing 0.4.6, oldest passing 0.4.4");
    CHECK(lines[1] == "3.9: no version passed");
}

TEST_CASE("matrix report: CI matrix definitions") {
    CHECK(emit_github(3) == R"({"include":[{"shard":"1/3"},{"shard":"2/3"},{"shard":"3/3"}]})"
                            "\n");
    CHECK_THAT(emit_gitlab(2), Catch::Contains("- \"2/2\""));
}
