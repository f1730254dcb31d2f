// Every demo runs offline on a fresh home, passes, and prints its evidence.
#include <catch2/catch.hpp>

#include "integration/index/fixture_server.hpp"
#include "omni/util/error.hpp"
#include "support/omni_runner.hpp"

using namespace omni;

namespace {
ProcessResult demo(const test::OmniHome& omni, const std::string& which) {
    return omni.omni({"demo", which, "--here"});
}
}  // namespace

TEST_CASE("demo 1: three interpreters with three versions verified from their bubbles") {
    for (const auto* v : {"3.9", "3.10", "3.11"})
        if (!test::pyenv_python(v))
            return;
    test::OmniHome omni;
    const auto r = demo(omni, "1");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("PASS omni demo 1 (multiverse)"));
    const auto bubbles = omni.root().string() + "/bubbles/";
    CHECK_THAT(r.out,
               Catch::Contains("3.9 1.0.0 " + bubbles +
                               "cpython-3.9/omni-demo-greet-1.0.0/omni_demo_greet/__init__.py"));
    CHECK_THAT(r.out,
               Catch::Contains("3.10 2.0.0 " + bubbles +
                               "cpython-3.10/omni-demo-greet-2.0.0/omni_demo_greet/__init__.py"));
    CHECK_THAT(r.out,
               Catch::Contains("3.11 3.0.0 " + bubbles +
                               "cpython-3.11/omni-demo-greet-3.0.0/omni_demo_greet/__init__.py"));
    CHECK_THAT(r.out, Catch::Contains("lock contention"));
}

TEST_CASE("demo 2: the pipeline heals stage 2 on the newer interpreter") {
    if (!test::pyenv_python("3.9"))
        return;
    test::OmniHome omni;
    const auto r = demo(omni, "pipeline");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("omni_demo_stats==2.0.0 for omni_demo_stats.summary"));
    CHECK_THAT(r.out, Catch::Contains("mean 6.50 (stage 1 on 3.9 said 6.50)"));
    CHECK_THAT(r.out, Catch::Contains("PASS omni demo 2"));
}

TEST_CASE("demo 3: healing runs the script on the older version from its bubble") {
    if (!test::pyenv_python("3.11"))
        return;
    test::OmniHome omni;
    const auto r = demo(omni, "3");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("script run with: omni-demo-greet 1.0.0 " +
                                      omni.root().string() + "/bubbles/"));
    CHECK_THAT(r.out, Catch::Contains("main env still has omni-demo-greet 3.0.0"));
    CHECK_THAT(r.out, Catch::Contains("PASS omni demo 3"));
}

TEST_CASE("demo 4: the matrix finds the broken release") {
    if (!test::pyenv_python("3.11"))
        return;
    test::OmniHome omni;
    const auto r = demo(omni, "matrix");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("failing: 0.13"));
    CHECK_THAT(r.out, Catch::Contains("PASS omni demo 4"));
}

TEST_CASE("demo 5: the loader activates three versions in one process") {
    if (!test::pyenv_python("3.11"))
        return;
    test::OmniHome omni;
    const auto r = demo(omni, "5");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    for (const auto* v : {"1.0.0", "2.0.0", "3.0.0"})
        CHECK_THAT(r.out,
                   Catch::Contains(std::string(v) + "     " + v + "    " + omni.root().string() +
                                   "/bubbles/cpython-3.11/omni-demo-greet-" + v +
                                   "/omni_demo_greet/__init__.py yes"));
    CHECK_THAT(r.out, Catch::Contains("PASS omni demo 5"));
}

TEST_CASE("demo 6: racing processes keep every invariant and leave the user's home alone") {
    for (const auto* v : {"3.10", "3.11", "3.12"})
        if (!test::pyenv_python(v))
            return;
    test::OmniHome omni;
    REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
    const auto r = demo(omni, "6");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("60 of 60 commands"));
    CHECK_THAT(r.out, Catch::Contains("4 of 4 workers' last config writes kept"));
    CHECK_THAT(r.out, Catch::Contains(", 0 bad"));
    CHECK_THAT(r.out, Catch::Matches("(.|\\n)*every bubble built once +([0-9]+) bubbles, \\2 built "
                                     "exactly once, \\2 build lines +yes(.|\\n)*"));
    CHECK_THAT(r.out, Catch::Contains("PASS omni demo 6"));
    // The race ran on a scratch home: the user's choice is as it was.
    const auto active = omni.omni({"config", "get", "python.active"});
    CHECK_THAT(active.out, Catch::Contains("3.11"));
    CHECK(std::filesystem::is_empty(omni.root() / "staging"));
    CHECK_FALSE(std::filesystem::exists(omni.root() / "bubbles" / "cpython-3.12"));
}

TEST_CASE("omni demo lists the demos and names an unknown one") {
    test::OmniHome omni;
    const auto list = omni.omni({"demo"});
    CHECK(list.ok());
    CHECK_THAT(list.out, Catch::Contains("1  multiverse"));
    const auto unknown = omni.omni({"demo", "9"});
    CHECK(unknown.exit_code == exit_status(ErrorCode::not_found));
    CHECK_THAT(unknown.err, Catch::Contains("the demos are: 1 multiverse"));
}

TEST_CASE("omni demo --index: every demo runs against an index served over HTTP") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    for (const auto* v : {"3.9", "3.10", "3.11", "3.12"})
        if (!test::pyenv_python(v))
            return;
    test::OmniHome omni;
    // rich's three versions of the original walkthroughs, as fixture wheels
    // on a PEP 503 index (no network here).
    const auto root = omni.scratch() / "index";
    test::make_index(root, {"--spec-json", R"({"packages": [
        {"name": "rich", "version": "13.4.2"}, {"name": "rich", "version": "13.6.0"},
        {"name": "rich", "version": "13.7.1"}]})"});
    test::FixtureServer server(root);
    for (const auto* which : {"1", "2", "3", "4", "5", "6"}) {
        const auto r = omni.omni({"demo", which, "--here", "--index", server.url()});
        INFO(which << r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("with rich 13.4.2, 13.6.0, 13.7.1 from " + server.url()));
        CHECK_THAT(r.out, Catch::Contains(std::string("PASS omni demo ") + which));
    }
    // Demo 1's evidence: the version and the file of the module each thread imported.
    const auto again = omni.omni({"demo", "1", "--here", "--index", server.url()});
    for (const auto* v : {"13.4.2", "13.6.0", "13.7.1"})
        CHECK_THAT(again.out, Catch::Contains(std::string(" ") + v + " " + omni.root().string() +
                                              "/bubbles/") &&
                                  Catch::Contains(std::string("/rich-") + v + "/rich/__init__.py"));
    CHECK(server.count("/simple/rich/") > 0);

    const auto bad = omni.omni({"demo", "1", "--package", "rich==13.4.2"});
    CHECK(bad.exit_code == exit_status(ErrorCode::invalid_input));
    CHECK_THAT(bad.err, Catch::Contains("exactly three versions"));
}
