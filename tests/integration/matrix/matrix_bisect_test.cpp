// omni matrix --bisect: 32 generated versions, broken from 0.20 on, on two
// interpreters; the boundary is found in at most 6 cells each.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

TEST_CASE("omni matrix --bisect finds the first failing version per interpreter") {
    for (const auto* v : {"3.11", "3.12"})
        if (!test::pyenv_python(v))
            return;
    test::OmniHome omni;
    const auto links = omni.scratch() / "links";
    nlohmann::json packages = nlohmann::json::array();
    for (int i = 1; i <= 32; ++i) {
        const auto version = "0." + std::to_string(i);
        // 0.20 renamed feature() to features().
        const std::string source = "__version__ = '" + version + "'\n\ndef " +
                                   (i >= 20 ? "features" : "feature") + "():\n    return 1\n";
        packages.push_back({{"name", "omni-bisected"},
                            {"version", version},
                            {"files", {{"omni_bisected/__init__.py", source}}}});
    }
    ProcessOptions make;
    make.argv = {"python3",
                 OMNI_FIXTURES_DIR "/make_index.py",
                 "--root",
                 links.string(),
                 "--flat",
                 "--spec-json",
                 nlohmann::json{{"packages", packages}}.dump()};
    REQUIRE(run_process(make).ok());
    REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
    const std::string test = "python -c \"import omni_bisected as b; b.feature()\"";
    const auto json = omni.scratch() / "bisect.json";
    const auto r =
        omni.omni({"--no-index", "--find-links", links.string(), "matrix", "omni-bisected",
                   "--bisect", "--python", "3.11,3.12", "--test", test, "--json", json.string()});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    for (const auto* python : {"3.11", "3.12"}) {
        CHECK_THAT(r.out, Catch::Contains(std::string(python) +
                                          ": first failing 0.20 (failed), last passing 0.19 "
                                          "(passed)"));
        // Both logs of the boundary are named, and they are the two versions'.
        const std::regex logs(std::string(R"(log of 0\.20: (\S+)\n  log of 0\.19: (\S+))"));
        std::smatch m;
        REQUIRE(std::regex_search(r.out, m, logs));
        CHECK_THAT(fs::read_file(m[1].str()), Catch::Contains("has no attribute 'feature'"));
        CHECK_THAT(fs::read_file(m[2].str()), Catch::Contains("# imported: 0.19 from the bubble"));
    }
    const auto report = nlohmann::json::parse(fs::read_file(json));
    std::map<std::string, int> cells;
    for (const auto& cell : report["cells"])
        ++cells[cell["python"].get<std::string>()];
    CHECK(cells.size() == 2);
    for (const auto& [python, n] : cells) {
        INFO(python);
        CHECK(n <= 6);
    }
    CHECK_THAT(r.out, Catch::Contains("(6 of 32 versions run)"));
    // The boundary is in the JSON report too, for CI to read.
    REQUIRE(report["bisect"].size() == 2);
    for (const auto& b : report["bisect"]) {
        INFO(b.dump());
        CHECK(b["changed"] == true);
        CHECK(b["versions"] == 32);
        CHECK(b["cells_run"] == cells[b["python"].get<std::string>()]);
        CHECK(b["after"]["version"] == "0.20");
        CHECK(b["after"]["status"] == "failed");
        CHECK(b["before"]["version"] == "0.19");
        CHECK(b["before"]["status"] == "passed");
        CHECK_THAT(b["summary"].get<std::string>(),
                   Catch::Contains("first failing 0.20 (failed), last passing 0.19 (passed)"));
    }

    // A range: 0.10 to 0.24 (15 versions), at most 1 + 4 cells.
    const auto ranged =
        omni.omni({"--no-index", "--find-links", links.string(), "matrix", "omni-bisected",
                   "--bisect", "--versions", ">=0.10,<0.25", "--test", test});
    INFO(ranged.out << ranged.err);
    REQUIRE(ranged.exit_code == 0);
    CHECK_THAT(ranged.out, Catch::Contains("first failing 0.20 (failed), last passing 0.19"));
    CHECK_THAT(ranged.out, Catch::Contains("of 15 versions run)"));
    const std::regex ran(R"(\((\d+) of 15 versions run\))");
    std::smatch m;
    REQUIRE(std::regex_search(ranged.out, m, ran));
    CHECK(std::stoi(m[1].str()) <= 5);

    // No change in a range that is all good.
    const auto same =
        omni.omni({"--no-index", "--find-links", links.string(), "matrix", "omni-bisected",
                   "--bisect", "--versions", "<0.20", "--test", test});
    CHECK(same.exit_code == 0);
    CHECK_THAT(same.out, Catch::Contains("no change, every version passed"));

    const auto bad = omni.omni({"--no-index", "--find-links", links.string(), "matrix",
                                "omni-bisected", "--bisect", "--shard", "1/2"});
    CHECK(bad.exit_code == exit_status(ErrorCode::usage));
    CHECK_THAT(bad.err, Catch::Contains("--bisect and --shard"));
}
