#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "omni/standards/requirement.hpp"

using namespace omni::standards;

TEST_CASE("requirements parse into their parts") {
    auto r =
        Requirement::parse("Foo.Bar[security, tests] >=2.8.1, ==2.8.* ; python_version < '2.7'");
    REQUIRE(r.has_value());
    CHECK(r->name == "Foo.Bar");
    CHECK(r->normalized_name() == "foo-bar");
    CHECK(r->extras == std::vector<std::string>{"security", "tests"});
    CHECK(r->specifier.to_string() == "==2.8.*,>=2.8.1");
    REQUIRE(r->marker.has_value());
    CHECK(r->marker->to_string() == "python_version < \"2.7\"");
    CHECK(r->url.empty());
}

TEST_CASE("requirements print as packaging prints them") {
    struct Case {
        const char* in;
        const char* out;
    };
    const std::vector<Case> cases = {
        {"requests", "requests"},
        {"requests >= 2.0 , <3", "requests<3,>=2.0"},
        {"requests (>=2.0)", "requests>=2.0"},
        {"name[b,a,a]", "name[a,b]"},
        {"name[]", "name"},
        {"name @ https://example.com/x.whl", "name@ https://example.com/x.whl"},
        {"name@https://e.com/x.whl ; os_name=='nt'",
         "name@ https://e.com/x.whl ; os_name == \"nt\""},
        {"name;extra=='Test_X'", "name; extra == \"test-x\""},
        {"foo_", "foo_"},
        {"x ===1.0", "x===1.0"},
    };
    for (const auto& c : cases) {
        INFO(c.in);
        auto r = Requirement::parse(c.in);
        REQUIRE(r.has_value());
        CHECK(r->to_string() == c.out);
    }
}

TEST_CASE("bad requirements point at the problem") {
    struct Case {
        const char* in;
        std::size_t pos;
    };
    const std::vector<Case> cases = {
        {"", 0},         {">=1.0", 0},     {"foo >=1.0.*", 9},    {"foo <1.0+local", 8},
        {"foo[a b]", 6}, {"foo[a", 5},     {"foo >=1.0 bar", 10}, {"foo ; os_name", 13},
        {"foo @ ", 6},   {"foo @ u x", 8}, {"foo (>=1.0", 10},    {"foo-", 3},
    };
    for (const auto& c : cases) {
        INFO(c.in);
        auto r = Requirement::parse(c.in);
        REQUIRE_FALSE(r.has_value());
        const std::string msg = r.error().what();
        CHECK(msg.find("invalid requirement") == 0);
        CHECK(msg.size() - msg.rfind('\n') - 4 == c.pos);
    }
}

TEST_CASE("a requirement applies when its marker holds") {
    MarkerEnvironment env;
    env.python_version = "3.11";
    CHECK(Requirement::parse("a; python_version >= '3.8'")->applies(env));
    CHECK_FALSE(Requirement::parse("a; python_version < '3.8'")->applies(env));
    CHECK(Requirement::parse("a")->applies(env));
}
