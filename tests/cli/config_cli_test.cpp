#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"
#include "support/temp_dir.hpp"

using namespace omni;

namespace {
// omni with its home at `home` (which may not exist yet).
ProcessResult omni_cli(const std::filesystem::path& home, const std::vector<std::string>& args) {
    static const test::OmniHome runner;
    return runner.omni(args, {{"OMNI_HOME", home.string()}});
}
}  // namespace

TEST_CASE("omni --version prints the version and touches no home") {
    test::TempDir dir;
    const auto r = omni_cli(dir / "home", {"--version"});
    CHECK(r.ok());
    CHECK_THAT(r.out, Catch::StartsWith("omni "));
    CHECK_FALSE(std::filesystem::exists(dir / "home"));
}

TEST_CASE("config set then get list and unset") {
    test::TempDir dir;
    const auto home = dir / "home";
    REQUIRE(omni_cli(home, {"config", "set", "heal.new-packages", "ask"}).ok());
    REQUIRE(omni_cli(home, {"config", "set", "matrix.jobs", "4"}).ok());
    REQUIRE(
        omni_cli(home, {"config", "set", "index.extra-urls", R"(["http://127.0.0.1:1/simple"])"})
            .ok());
    CHECK(omni_cli(home, {"config", "get", "heal.new-packages"}).out == "ask\n");
    CHECK(omni_cli(home, {"config", "get", "matrix.jobs", "--json"}).out == "4\n");
    const auto list = omni_cli(home, {"config", "list", "--json"});
    REQUIRE(list.ok());
    const auto values = nlohmann::json::parse(list.out);
    CHECK(values["index.extra-urls"][0] == "http://127.0.0.1:1/simple");
    CHECK(omni_cli(home, {"config", "list"}).out ==
          "heal.new-packages = ask\nindex.extra-urls = [\"http://127.0.0.1:1/simple\"]\n"
          "matrix.jobs = 4\n");
    REQUIRE(omni_cli(home, {"config", "unset", "matrix.jobs"}).ok());
    const auto missing = omni_cli(home, {"config", "get", "matrix.jobs"});
    CHECK(missing.exit_code == exit_status(ErrorCode::not_found));
    CHECK_THAT(missing.err, Catch::Contains("'matrix.jobs' is not set"));
}

TEST_CASE("a bad key is one clear error and nothing is written") {
    test::TempDir dir;
    const auto r = omni_cli(dir / "home", {"config", "set", "Bad Key", "1"});
    CHECK(r.exit_code == exit_status(ErrorCode::invalid_input));
    CHECK_THAT(r.err, Catch::Contains("invalid config key 'Bad Key'"));
    CHECK(r.err.find('^') != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "home" / "config.json"));
}

TEST_CASE("a hand-broken config names the file and the position and repair restores it") {
    test::TempDir dir;
    const auto home = dir / "home";
    REQUIRE(omni_cli(home, {"config", "set", "a.b", "1"}).ok());
    REQUIRE(omni_cli(home, {"config", "set", "a.c", "2"}).ok());
    fs::atomic_write(home / "config.json", "{\"schema_version\": 1, \"values\": {\"a.b\": 1,}}");
    const auto broken = omni_cli(home, {"config", "list"});
    CHECK(broken.exit_code == exit_status(ErrorCode::corrupt_state));
    CHECK_THAT(broken.err, Catch::Contains((home / "config.json").string()));
    CHECK_THAT(broken.err, Catch::Contains("line 1, column"));
    CHECK_THAT(broken.err, Catch::Contains("omni config repair"));
    const auto repair = omni_cli(home, {"config", "repair"});
    CHECK(repair.ok());
    CHECK_THAT(repair.out, Catch::Contains("restored"));
    CHECK(omni_cli(home, {"config", "get", "a.b"}).out == "1\n");
}

TEST_CASE("an unwritable home is one clear error") {
    test::TempDir dir;
    test::write_text(dir / "a-file", "x");
    const auto r = omni_cli(dir / "a-file" / "home", {"config", "list"});
    CHECK(r.exit_code == exit_status(ErrorCode::io));
    CHECK_THAT(r.err, Catch::Contains("a-file/home"));
    CHECK_THAT(r.err, Catch::Contains("OMNI_HOME"));
}

TEST_CASE("stale staging left by a dead process is removed by the next command") {
    test::TempDir dir;
    const auto home = dir / "home";
    REQUIRE(omni_cli(home, {"config", "list"}).ok());
    // pid 2^22+1 cannot exist (above pid_max's ceiling), so its owner is dead.
    std::filesystem::create_directories(home / "staging" / "bubble.4194305.1.x" / "partial");
    REQUIRE(omni_cli(home, {"config", "list"}).ok());
    CHECK(std::filesystem::is_empty(home / "staging"));
}

TEST_CASE("an unknown command is a usage error") {
    test::TempDir dir;
    const auto r = omni_cli(dir / "home", {"frobnicate"});
    CHECK(r.exit_code == exit_status(ErrorCode::usage));
    CHECK_FALSE(r.err.empty());
}

TEST_CASE("config set checks the values of keys omni knows, --show-origin names each source") {
    test::TempDir dir;
    const auto home = dir / "home";
    const auto bad = omni_cli(home, {"config", "set", "heal.new-packages", "sometimes"});
    CHECK(bad.exit_code == exit_status(ErrorCode::invalid_input));
    CHECK_THAT(bad.err, Catch::Contains("one of allow, ask, deny"));
    CHECK(omni_cli(home, {"config", "set", "matrix.jobs", "0"}).exit_code ==
          exit_status(ErrorCode::invalid_input));
    CHECK(omni_cli(home, {"config", "set", "index.url", "ftp://127.0.0.1/simple"}).exit_code ==
          exit_status(ErrorCode::invalid_input));
    CHECK(omni_cli(home, {"config", "set", "index.no-index", "yes"}).ok());
    CHECK(omni_cli(home, {"config", "get", "index.no-index", "--json"}).out == "true\n");
    REQUIRE(omni_cli(home, {"config", "set", "index.url", "http://127.0.0.1:1/simple"}).ok());
    const auto origins = omni_cli(home, {"config", "list", "--show-origin", "--json"});
    REQUIRE(origins.ok());
    const auto all = nlohmann::json::parse(origins.out);
    bool seen = false;
    for (const auto& s : all)
        if (s["key"] == "index.url") {
            seen = true;
            CHECK(s["value"] == "http://127.0.0.1:1/simple");
            CHECK(s["source"] == "omni config");
        }
    CHECK(seen);
}
