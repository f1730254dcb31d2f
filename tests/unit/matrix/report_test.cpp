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
    r.matrix_cells = {"py3.11-0.4.6", "py3.11-0.4.5", "py3.11-0.4.4", "py3.9-0.4.6"};
    r.results = {
        {{0, "3.11", "0.4.6", "highest"},
         CellStatus::passed,
         0,
         milliseconds(1200),
         "/logs/a.log",
         "",
         {"colorama", "0.4.6", "/b/colorama/__init__.py", "importlib.metadata", 2, true, true}},
        {{1, "3.11", "0.4.5", "highest"},
         CellStatus::failed,
         1,
         milliseconds(900),
         "/logs/b.log",
         "AssertionError: <bad>",
         {}},
        {{2, "3.11", "0.4.4", "highest"},
         CellStatus::passed,
         0,
         milliseconds(800),
         "/logs/c.log",
         "",
         {}},
        {{3, "3.9", "0.4.6", "highest"},
         CellStatus::timed_out,
         -1,
         milliseconds(5000),
         "/logs/d.log",
         "timed out",
         {}},
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
    a.shard = {1, 2};
    b.shard = {2, 2};
    a.results = {whole.results[0], whole.results[2]};
    b.results = {whole.results[3], whole.results[1]};
    const auto merged = merge({b, a});
    REQUIRE(merged);
    CHECK(merged->results.size() == 4);
    for (std::size_t i = 0; i < 4; ++i)
        CHECK(merged->results[i].cell.index == i);
    CHECK(merged->shard.count == 1);
    CHECK(merged->results[0].evidence.version == "0.4.6");

    // A shard given twice, a missing shard, a cell in two shards, another matrix.
    const auto twice = merge({a, a, b});
    REQUIRE_FALSE(twice);
    CHECK_THAT(twice.error().what(), Catch::Contains("shard 1/2 is given twice"));
    const auto missing = merge({a});
    REQUIRE_FALSE(missing);
    CHECK_THAT(missing.error().what(), Catch::Contains("shard 2/2 missing"));
    CHECK_THAT(missing.error().what(), Catch::Contains("2 of 4 cells not reported"));
    CHECK_THAT(missing.error().what(), Catch::Contains("py3.11-0.4.5, py3.9-0.4.6"));
    MatrixReport overlap = b;
    overlap.results.push_back(whole.results[0]);
    const auto overlapping = merge({a, overlap});
    REQUIRE_FALSE(overlapping);
    CHECK_THAT(overlapping.error().what(), Catch::Contains("cell 0 (py3.11-0.4.6) is in two"));
    MatrixReport lost = b;
    lost.results.pop_back();
    const auto incomplete = merge({a, lost});
    REQUIRE_FALSE(incomplete);
    CHECK_THAT(incomplete.error().what(),
               Catch::Contains("no shard is missing; 1 of 4 cells not reported: py3.11-0.4.5"));
    MatrixReport other = b;
    other.shard = {2, 3};
    CHECK_THAT(merge({a, other}).error().what(), Catch::Contains("another shard count"));
    other = b;
    other.matrix_cells.pop_back();
    CHECK_THAT(merge({a, other}).error().what(), Catch::Contains("another set of cells"));
    MatrixReport old = a;
    old.matrix_cells.clear();
    CHECK_THAT(merge({old}).error().what(), Catch::Contains("older omni"));
    // The shard and cell set survive JSON.
    const auto back = report_from_json(to_json(b), "b.json");
    REQUIRE(back);
    CHECK(back->shard.index == 2);
    CHECK(back->matrix_cells == whole.matrix_cells);
}

TEST_CASE("matrix report: evidence in JSON, JUnit and the table") {
    auto r = sample();
    r.results[1].evidence = {
        "colorama", "0.4.6", "/work/colorama/colorama/__init__.py", "dist-info", 1, false, false};
    const auto json = to_json(r);
    CHECK_THAT(json, Catch::Contains("\"via\": \"dist-info\""));
    CHECK_THAT(json, Catch::Contains("\"evidence\": null"));
    const auto back = report_from_json(json, "r.json");
    REQUIRE(back);
    CHECK(back->results[1].evidence.file == "/work/colorama/colorama/__init__.py");
    CHECK_FALSE(back->results[1].evidence.matches);
    CHECK(back->results[0].evidence.processes == 2);
    CHECK_FALSE(back->results[2].evidence.present());
    const auto xml = to_junit(r);
    CHECK_THAT(xml, Catch::Contains("<property name=\"imported.version\" value=\"0.4.6\"/>"));
    CHECK_THAT(xml, Catch::Contains(
                        "<property name=\"imported.file\" value=\"/b/colorama/__init__.py\"/>"));
    const auto table = to_table(r);
    CHECK_THAT(table, Catch::Contains("0.4.6 from the bubble"));
    CHECK_THAT(table, Catch::Contains("0.4.6 from /work/colorama/colorama/__init__.py"));
    CHECK_THAT(table, Catch::Contains("not imported"));
}

TEST_CASE("matrix report: JUnit XML counts and escapes") {
    const auto xml = to_junit(sample());
    CHECK_THAT(xml, Catch::Contains("tests=\"4\" failures=\"2\" errors=\"0\""));
    CHECK_THAT(xml,
               Catch::Contains(
                   "<failure message=\"AssertionError: &lt;bad&gt;\">log: /logs/b.log</failure>"));
    CHECK_THAT(xml, Catch::Contains("name=\"py3.11-0.4.6\""));
}

TEST_CASE("matrix report: table lists failures first, passing range per interpreter") {
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
