// Every demo runs offline on a fresh home, passes, and prints its evidence.
#include <catch2/catch.hpp>

#include "omni/util/error.hpp"
#include "support/omni_runner.hpp"

using namespace omni;

namespace {
ProcessResult demo(const test::OmniHome& omni, const std::string& which) {
    return omni.omni({"demo", which});
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

TEST_CASE("omni demo lists the demos and names an unknown one") {
    test::OmniHome omni;
    const auto list = omni.omni({"demo"});
    CHECK(list.ok());
    CHECK_THAT(list.out, Catch::Contains("1  multiverse"));
    const auto unknown = omni.omni({"demo", "9"});
    CHECK(unknown.exit_code == exit_status(ErrorCode::not_found));
    CHECK_THAT(unknown.err, Catch::Contains("the demos are: 1 multiverse"));
}
