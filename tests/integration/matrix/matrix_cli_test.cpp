// `omni matrix` over real interpreters and 16 generated versions of a
// package, one of which is broken.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

// 0.13 is broken: importing it raises.
const char* broken_test =
    "python -c \"import omni_demo_colors as m; assert m.__version__ != '0.13', 'broken release'\"";

struct MatrixFixture {
    test::OmniHome omni;
    stdfs::path links;
    bool ready = false;
    MatrixFixture() {
        if (!test::pyenv_python("3.11"))
            return;
        links = omni.scratch() / "links";
        std::string spec = R"({"packages": [)";
        for (int i = 1; i <= 16; ++i)
            spec += (i > 1 ? "," : "") +
                    std::string(R"({"name": "omni-demo-colors", "version": "0.)") +
                    std::to_string(i) + "\"}";
        spec += "]}";
        ProcessOptions make;
        make.argv = {"python3", OMNI_FIXTURES_DIR "/make_index.py",
                     "--root",  links.string(),
                     "--flat",  "--spec-json",
                     spec};
        REQUIRE(run_process(make).ok());
        REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
        ready = true;
    }
    ProcessResult matrix(std::vector<std::string> args) const {
        args.insert(args.begin(),
                    {"--no-index", "--find-links", links.string(), "matrix", "omni-demo-colors"});
        return omni.omni(args);
    }
    // How many unpacked trees the cache holds (the main env's pip is one).
    std::size_t unpacked_trees() const {
        const auto info = omni.omni({"cache", "info", "--json"});
        REQUIRE(info.ok());
        return nlohmann::json::parse(info.out)["unpacked"]["entries"].get<std::size_t>();
    }
    nlohmann::json read(const std::string& name) const {
        return nlohmann::json::parse(fs::read_file(omni.scratch() / name));
    }
};

std::set<std::size_t> indices(const nlohmann::json& report) {
    std::set<std::size_t> out;
    for (const auto& c : report["cells"])
        out.insert(c["index"].get<std::size_t>());
    return out;
}

}  // namespace

TEST_CASE("omni matrix finds the broken version among 16 and writes its log") {
    MatrixFixture f;
    if (!f.ready)
        return;
    const auto r = f.matrix({"--versions", "all", "--test", broken_test, "-j", "2", "--json",
                             "r.json", "--junit", "r.xml"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    const auto report = f.read("r.json");
    REQUIRE(report["cells"].size() == 16);
    int failed = 0;
    for (const auto& c : report["cells"]) {
        if (c["status"] != "passed") {
            ++failed;
            CHECK(c["version"] == "0.13");
            CHECK_THAT(fs::read_file(c["log"].get<std::string>()),
                       Catch::Contains("broken release"));
        }
    }
    CHECK(failed == 1);
    CHECK_THAT(r.out, Catch::Contains("newest passing 0.16, oldest passing 0.1"));
    CHECK_THAT(fs::read_file(f.omni.scratch() / "r.xml"), Catch::Contains("failures=\"1\""));
}

TEST_CASE("omni matrix: three interpreters, shards cover every cell once and merge back") {
    MatrixFixture f;
    if (!f.ready)
        return;
    for (const auto* v : {"3.9", "3.10"})
        if (!test::pyenv_python(v))
            return;
    const std::vector<std::string> common{"--python", "3.9,3.10,3.11", "--versions",
                                          "last:3",   "--test",        broken_test};
    auto whole = common;
    whole.insert(whole.end(), {"--json", "whole.json"});
    REQUIRE(f.matrix(whole).exit_code == 0);
    std::set<std::size_t> seen;
    std::vector<std::string> merge_args{"matrix", "merge"};
    for (int i = 1; i <= 3; ++i) {
        auto args = common;
        const auto name = "shard" + std::to_string(i) + ".json";
        args.insert(args.end(), {"--shard", std::to_string(i) + "/3", "--json", name});
        REQUIRE(f.matrix(args).exit_code == 0);
        for (auto index : indices(f.read(name)))
            CHECK(seen.insert(index).second);
        merge_args.push_back((f.omni.scratch() / name).string());
    }
    CHECK(seen.size() == 9);
    merge_args.insert(merge_args.end(), {"--json", "merged.json"});
    REQUIRE(f.omni.omni(merge_args).ok());
    const auto merged = f.read("merged.json");
    const auto unsharded = f.read("whole.json");
    REQUIRE(merged["cells"].size() == unsharded["cells"].size());
    for (std::size_t i = 0; i < 9; ++i) {
        CHECK(merged["cells"][i]["python"] == unsharded["cells"][i]["python"]);
        CHECK(merged["cells"][i]["version"] == unsharded["cells"][i]["version"]);
        CHECK(merged["cells"][i]["status"] == unsharded["cells"][i]["status"]);
    }
    const auto duplicate =
        f.omni.omni({"matrix", "merge", (f.omni.scratch() / "shard1.json").string(),
                     (f.omni.scratch() / "shard1.json").string()});
    CHECK(duplicate.exit_code == exit_status(ErrorCode::invalid_input));
}

TEST_CASE("omni matrix: two processes at once share the cache and build each bubble once") {
    MatrixFixture f;
    if (!f.ready)
        return;
    ProcessResult a, b;
    std::thread first([&] { a = f.matrix({"--versions", "last:6", "--json", "a.json"}); });
    std::thread second([&] { b = f.matrix({"--versions", "last:6", "--json", "b.json"}); });
    first.join();
    second.join();
    CHECK(a.exit_code == 0);
    CHECK(b.exit_code == 0);
    // One bubble per version, each complete; nothing left in staging.
    std::size_t bubbles = 0;
    for (const auto& dir : stdfs::directory_iterator(f.omni.root() / "bubbles" / "cpython-3.11")) {
        ++bubbles;
        CHECK(stdfs::exists(dir.path() / "bubble.json"));
    }
    CHECK(bubbles == 6);
    CHECK(stdfs::is_empty(f.omni.root() / "staging"));
}

TEST_CASE("omni matrix: bad input is one clear error") {
    MatrixFixture f;
    if (!f.ready)
        return;
    CHECK(f.matrix({"--shard", "4/3"}).exit_code == exit_status(ErrorCode::invalid_input));
    CHECK(f.matrix({"--versions", "9.9"}).exit_code == exit_status(ErrorCode::not_found));
    const auto unknown =
        f.omni.omni({"--no-index", "--find-links", f.links.string(), "matrix", "no-such-package"});
    CHECK(unknown.exit_code == exit_status(ErrorCode::not_found));
    CHECK_THAT(unknown.err, Catch::Contains("no-such-package"));
}

TEST_CASE("omni versions lists what the sources offer, omni cache info and clean") {
    MatrixFixture f;
    if (!f.ready)
        return;
    const auto versions = f.omni.omni(
        {"--no-index", "--find-links", f.links.string(), "versions", "Omni_Demo.Colors", ">=0.14"});
    CHECK(versions.out == "0.16\n0.15\n0.14\n");
    const auto json = f.omni.omni(
        {"--no-index", "--find-links", f.links.string(), "versions", "omni-demo-colors", "--json"});
    CHECK(nlohmann::json::parse(json.out).size() == 16);
    CHECK(f.omni.omni({"--no-index", "--find-links", f.links.string(), "versions", "nope"})
              .exit_code == exit_status(ErrorCode::not_found));
    const auto before = f.unpacked_trees();
    REQUIRE(f.matrix({"--versions", "last:2"}).ok());
    CHECK(f.unpacked_trees() == before + 2);
    REQUIRE(f.omni.omni({"cache", "clean"}).ok());
    const auto info = f.omni.omni({"cache", "info"});
    CHECK_THAT(info.out, Catch::Contains("unpacked       0 entries"));
    CHECK(stdfs::is_empty(f.omni.root() / "staging"));
    // Bubbles keep working: their files are hard links, not references.
    const auto r = f.omni.omni({"--no-index", "--find-links", f.links.string(), "exec", "--with",
                                "omni-demo-colors==0.16", "--", "python", "-c",
                                "import omni_demo_colors as c; print(c.__version__)"});
    CHECK(r.out == "0.16\n");
}

TEST_CASE("omni cache prune keeps what installs use, unknown projects get close names") {
    MatrixFixture f;
    if (!f.ready)
        return;
    const auto before = f.unpacked_trees();
    REQUIRE(f.matrix({"--versions", "last:2"}).ok());
    // One bubble goes: its unpacked tree is no longer linked by anything.
    REQUIRE(f.omni.omni({"bubble", "remove", "omni-demo-colors==0.16"}).ok());
    const auto pruned = f.omni.omni({"cache", "prune"});
    CHECK_THAT(pruned.out, Catch::Contains("removed 1 unpacked trees"));
    CHECK(f.unpacked_trees() == before + 1);
    // What stays keeps its manifest (a tree without one is checked again).
    for (const auto& e : stdfs::directory_iterator(f.omni.root() / "cache" / "unpacked"))
        if (e.is_directory())
            CHECK(stdfs::exists(e.path().string() + ".manifest"));
    const auto r = f.matrix({"--versions", "0.15"});
    CHECK(r.exit_code == 0);
    const auto typo = f.omni.omni(
        {"--no-index", "--find-links", f.links.string(), "install", "omni-demo-colours"});
    CHECK(typo.exit_code == exit_status(ErrorCode::not_found));
    CHECK_THAT(typo.err, Catch::Contains("did you mean omni-demo-colors?"));
}
