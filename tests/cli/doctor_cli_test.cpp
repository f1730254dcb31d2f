#include <catch2/catch.hpp>

#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"

using namespace omni;

TEST_CASE("omni doctor says what is wrong and how to fix it") {
    const test::OmniHome omni;
    auto r = omni.omni({"--offline", "doctor"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("[ok] config.json parses"));
    CHECK_THAT(r.out, Catch::Contains("[!!] no python shim yet"));
    CHECK_THAT(r.out, Catch::Contains("fix: omni swap python 3"));
    fs::atomic_write(omni.root() / "config.json", "{ broken");
    r = omni.omni({"--offline", "doctor"});
    CHECK_THAT(r.out, Catch::Contains("fix: omni config repair"));
    CHECK_THAT(r.out, Catch::Contains("the index was not checked"));
    REQUIRE(omni.omni({"config", "repair"}).ok());
    r = omni.omni({"--index-url", "file:///nonexistent/simple", "doctor"});
    CHECK_THAT(r.out, Catch::Contains("does not answer"));
}

TEST_CASE("omni doctor passes on a set-up home with bin on PATH") {
    if (!test::pyenv_python("3.11"))
        return;
    const test::OmniHome omni;
    REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
    const char* path = std::getenv("PATH");
    const auto r = omni.omni({"--offline", "doctor"},
                             {{"PATH", (omni.root() / "bin").string() + ":" + (path ? path : "")}});
    INFO(r.out);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("bin/python runs"));
}
