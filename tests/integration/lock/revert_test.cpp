// omni history and omni revert through the binary, against a loopback index:
// install, upgrade (--main), install another, uninstall; then each revert
// in turn, with the index server stopped, returns the env to the state it
// recorded before (every dist-info with its whole RECORD, REQUESTED
// included, and the import). A wheel the cache lacks is named offline and
// fetched from the index otherwise; an unknown id and --dry-run change
// nothing; a --env venv has its own history.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <optional>

#include "integration/index/fixture_server.hpp"
#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

constexpr const char* spec = R"({"packages": [
    {"name": "rv-a", "version": "1.0", "modules": 3},
    {"name": "rv-a", "version": "2.0", "modules": 4},
    {"name": "rv-b", "version": "1.0"}]})";

ProcessResult ok(const ProcessResult& r) {
    INFO(r.out);
    INFO(r.err);
    REQUIRE(r.ok());
    return r;
}

// What the env is: each dist-info with its RECORD, as text.
using EnvState = std::map<std::string, std::string>;

EnvState state_of(const stdfs::path& site) {
    EnvState out;
    for (const auto& e : stdfs::directory_iterator(site))
        if (e.path().extension() == ".dist-info")
            out[e.path().filename().string()] = fs::read_file(e.path() / "RECORD");
    return out;
}

struct RevertFixture {
    test::OmniHome omni;
    stdfs::path tree = omni.scratch() / "index";
    std::optional<test::FixtureServer> server;
    std::string index;
    stdfs::path env;
    bool ready = false;

    RevertFixture() {
        if (!test::pyenv_python("3.11"))
            return;
        test::make_index(tree, {"--spec-json", spec});
        server.emplace(tree);
        index = server->url();
        omni.omni({"config", "set", "env.pip", "false"});  // the env holds only what we install
        ok(omni.omni({"swap", "python", "3.11"}));
        for (const auto& e : stdfs::directory_iterator(omni.root() / "envs"))
            env = e.path();
        ready = true;
    }
    stdfs::path site() const { return env / "lib" / "python3.11" / "site-packages"; }
    ProcessResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--index-url", index});
        return omni.omni(args);
    }
    nlohmann::json history() const {
        return nlohmann::json::parse(ok(omni.omni({"history", "--format", "json"})).out);
    }
    // check_env.py's verdict: every RECORD hash right, the imports' versions.
    nlohmann::json check() const {
        const auto r =
            omni.run({(env / "bin" / "python").string(), OMNI_FIXTURES_DIR "/check_env.py",
                      site().string(), "rv-a", "rv-b"});
        INFO(r.err);
        REQUIRE(r.ok());
        return nlohmann::json::parse(r.out);
    }
};

#define REQUIRE_PYTHON_311()                             \
    do {                                                 \
        if (!f.ready) {                                  \
            if (test::ci())                              \
                FAIL("no Python 3.11 under ~/.pyenv");   \
            WARN("SKIP: no Python 3.11 under ~/.pyenv"); \
            return;                                      \
        }                                                \
    } while (0)

}  // namespace

TEST_CASE("revert returns the env to each recorded earlier state, with the index stopped",
          "[integration][revert]") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    RevertFixture f;
    REQUIRE_PYTHON_311();
    CHECK_THAT(ok(f.omni.omni({"history"})).out, Catch::Contains("no changes recorded"));
    std::vector<EnvState> states{state_of(f.site())};  // states[i]: before change i
    ok(f.run({"install", "rv-a==1.0"}));
    states.push_back(state_of(f.site()));
    ok(f.run({"install", "--main", "rv-a==2.0"}));
    states.push_back(state_of(f.site()));
    ok(f.run({"install", "rv-b==1.0"}));
    states.push_back(state_of(f.site()));
    ok(f.run({"uninstall", "rv-a"}));
    const auto after_all = state_of(f.site());

    const auto table = ok(f.omni.omni({"history"})).out;
    CHECK_THAT(table, Catch::Contains("added rv-a 1.0"));
    CHECK_THAT(table, Catch::Contains("replaced rv-a 1.0 -> 2.0"));
    CHECK_THAT(table, Catch::Contains("added rv-b 1.0"));
    CHECK_THAT(table, Catch::Contains("removed rv-a 2.0"));
    CHECK_THAT(table, Catch::Contains("omni --index-url " + f.index + " uninstall rv-a"));
    const auto history = f.history();
    REQUIRE(history.size() == 4);
    for (const auto& change : history)
        for (const auto& d : change["added"])
            CHECK(d["wheel_sha256"].get<std::string>().size() == 64);

    f.server.reset();  // from here on, no index

    SECTION("an unknown id and --dry-run change nothing") {
        const auto bad = f.omni.omni({"revert", "2020-01-01T00-00-00.000Z-1-0-dead"});
        CHECK_FALSE(bad.ok());
        CHECK_THAT(bad.err, Catch::Contains("no change '2020-01-01T00-00-00.000Z-1-0-dead'"));
        CHECK_THAT(bad.err, Catch::Contains("omni history"));
        const auto dry = ok(
            f.omni.omni({"--offline", "revert", "--dry-run", history[1]["id"].get<std::string>()}));
        CHECK_THAT(dry.out, Catch::Contains("would remove rv-b 1.0"));
        CHECK_THAT(dry.out, Catch::Contains("would install rv-a 1.0 (from the cache)"));
        CHECK(state_of(f.site()) == after_all);
        CHECK(f.history().size() == 4);
    }

    SECTION("each step undone in turn") {
        // --last undoes the uninstall: the state before change 3.
        const auto last = ok(f.omni.omni({"--offline", "revert", "--last"}));
        CHECK_THAT(last.out, Catch::Contains("installed rv-a 2.0"));
        CHECK(state_of(f.site()) == states[3]);
        // Then before change 2, 1 and 0, the index URL a stopped server's:
        // everything comes from the cache.
        for (int k = 2; k >= 0; --k) {
            INFO("back to before change " << k);
            const auto r = ok(f.run({"revert", history[static_cast<std::size_t>(k)]["id"]}));
            CHECK(state_of(f.site()) == states[static_cast<std::size_t>(k)]);
            const auto v = f.check();
            CHECK(v["bad"].empty());
            CHECK(v["phantoms"].empty());
            CHECK(v["strays"]["rv-a"].empty());
            if (k == 1) {
                CHECK_THAT(r.out, Catch::Contains("removed rv-a 2.0"));
                CHECK_THAT(r.out, Catch::Contains("installed rv-a 1.0"));
                CHECK(v["imports"]["rv-a"] == "1.0");
                CHECK_FALSE(v["dists"].contains("rv-b"));
            }
            if (k == 2)
                CHECK(v["imports"]["rv-a"] == "2.0");
        }
        CHECK(state_of(f.site()).empty());
        // Each revert is a change of its own, and can be reverted.
        const auto now = f.history();
        REQUIRE(now.size() == 8);
        CHECK_THAT(now[7]["command"].get<std::string>(), Catch::StartsWith("omni "));
        CHECK_THAT(now[7]["command"].get<std::string>(), Catch::Contains(" revert "));
        ok(f.omni.omni({"--offline", "revert", "--last"}));
        CHECK(state_of(f.site()) == states[1]);
        CHECK(f.check()["imports"]["rv-a"] == "1.0");
    }
}

TEST_CASE("revert names the wheel the cache lacks offline, and takes it from the index otherwise",
          "[integration][revert]") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    RevertFixture f;
    REQUIRE_PYTHON_311();
    ok(f.run({"install", "rv-a==1.0"}));
    const auto with_one = state_of(f.site());
    ok(f.run({"install", "--main", "rv-a==2.0"}));
    const auto with_two = state_of(f.site());
    ok(f.omni.omni({"cache", "clean"}));
    REQUIRE_FALSE(stdfs::exists(f.omni.root() / "cache" / "unpacked"));

    const auto offline = f.omni.omni({"--offline", "revert"});
    CHECK_FALSE(offline.ok());
    CHECK_THAT(offline.err, Catch::Contains("rv_a-1.0-py3-none-any.whl"));
    CHECK_THAT(offline.err, Catch::Contains("nothing was changed"));
    CHECK(state_of(f.site()) == with_two);
    CHECK(f.history().size() == 2);
    const auto dry = ok(f.omni.omni({"--offline", "revert", "--dry-run"}));
    CHECK_THAT(dry.out, Catch::Contains("offline"));

    const auto online = ok(f.run({"revert"}));
    CHECK_THAT(online.out, Catch::Contains("installed rv-a 1.0"));
    CHECK(state_of(f.site()) == with_one);
    CHECK(f.check()["imports"]["rv-a"] == "1.0");
}

TEST_CASE("a --env venv has its own history and reverts", "[integration][revert]") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    RevertFixture f;
    REQUIRE_PYTHON_311();
    const auto venv = f.omni.scratch() / "venv";
    ok(f.omni.omni({"venv", venv.string()}));
    ok(f.run({"--env", venv.string(), "install", "rv-b==1.0"}));
    CHECK(nlohmann::json::parse(ok(f.omni.omni({"history", "--format", "json"})).out).empty());
    const auto listed = ok(f.omni.omni({"--env", venv.string(), "history"})).out;
    CHECK_THAT(listed, Catch::Contains("added rv-b 1.0"));
    const auto r = ok(f.omni.omni({"--offline", "--env", venv.string(), "revert", "--last"}));
    CHECK_THAT(r.out, Catch::Contains("removed rv-b 1.0"));
    std::error_code ec;
    for (const auto& e : stdfs::directory_iterator(venv / "lib", ec))
        CHECK_FALSE(stdfs::exists(e.path() / "site-packages" / "rv_b-1.0.dist-info"));
}
