#include <catch2/catch.hpp>

#include "omni/run/traceback.hpp"

using namespace omni::run;

TEST_CASE("traceback: frames and the final exception of a 3.11 traceback with carets") {
    const auto tb = parse_traceback(R"(Traceback (most recent call last):
  File "/tmp/app.py", line 3, in <module>
    main()
  File "/tmp/app.py", line 2, in main
    def main(): import yaml
                ^^^^^^^^^^^
ModuleNotFoundError: No module named 'yaml'
)");
    REQUIRE(tb.found);
    REQUIRE(tb.frames.size() == 2);
    CHECK(tb.frames[1].file == "/tmp/app.py");
    CHECK(tb.frames[1].line == 2);
    CHECK(tb.frames[1].function == "main");
    CHECK(tb.frames[1].source == "def main(): import yaml");
    CHECK(tb.exception == "ModuleNotFoundError");
    CHECK(tb.message == "No module named 'yaml'");
}

TEST_CASE("traceback: the last of chained tracebacks wins") {
    const auto tb = parse_traceback(R"(Traceback (most recent call last):
  File "a.py", line 1, in <module>
KeyError: 'x'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "a.py", line 3, in <module>
    raise RuntimeError("Expected 1.0, got 2.0")
RuntimeError: Expected 1.0, got 2.0
)");
    CHECK(tb.exception == "RuntimeError");
    CHECK(tb.message == "Expected 1.0, got 2.0");
    CHECK(tb.frames.size() == 1);
}

TEST_CASE("traceback: a syntax error without a Traceback header") {
    const auto tb = parse_traceback(R"(  File "/tmp/new.py", line 2
    match command:
          ^
SyntaxError: invalid syntax
)");
    REQUIRE(tb.found);
    CHECK(tb.exception == "SyntaxError");
    REQUIRE(tb.frames.size() == 1);
    CHECK(tb.frames[0].source == "match command:");
    CHECK(tb.frames[0].line == 2);
}

TEST_CASE("traceback: dotted exception names and notes") {
    const auto tb = parse_traceback(R"(Traceback (most recent call last):
  File "x.py", line 1, in <module>
pkg_resources.DistributionNotFound: The 'rich==13.4.2' distribution was not found and is required by the application
note: extra detail
)");
    CHECK(tb.exception == "pkg_resources.DistributionNotFound");
    CHECK_THAT(tb.message, Catch::StartsWith("The 'rich==13.4.2' distribution"));
    CHECK_THAT(tb.message, Catch::Contains("note: extra detail"));
}

TEST_CASE("traceback: plain output has none") {
    CHECK_FALSE(parse_traceback("hello\nworld\n").found);
    CHECK_FALSE(parse_traceback("").found);
}

TEST_CASE("traceback: colour codes are ignored") {
    const auto tb = parse_traceback(
        "Traceback (most recent call last):\n  File \x1b[35m\"x.py\"\x1b[0m, line "
        "\x1b[35m1\x1b[0m, in "
        "\x1b[35m<module>\x1b[0m\n\x1b[1;35mModuleNotFoundError\x1b[0m: \x1b[35mNo module named "
        "'yaml'\x1b[0m\n");
    CHECK(tb.exception == "ModuleNotFoundError");
    CHECK(tb.message == "No module named 'yaml'");
    REQUIRE(tb.frames.size() == 1);
    CHECK(tb.frames[0].file == "x.py");
}
