#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "omni/standards/name.hpp"

using namespace omni::standards;

TEST_CASE("names normalize per PEP 503") {
    struct Case {
        const char* in;
        const char* out;
    };
    const std::vector<Case> cases = {
        {"Foo.Bar_baz", "foo-bar-baz"},
        {"foo", "foo"},
        {"FOO", "foo"},
        {"foo--bar", "foo-bar"},
        {"foo._-bar", "foo-bar"},
        {"a", "a"},
        {"Django", "django"},
        {"zope.interface", "zope-interface"},
    };
    for (const auto& c : cases) {
        INFO(c.in);
        CHECK(normalize_name(c.in) == c.out);
        CHECK(names_equal(c.in, c.out));
    }
    CHECK_FALSE(names_equal("foo-bar", "foobar"));
    CHECK_FALSE(names_equal("foo", "foo-"));
}

TEST_CASE("project names are validated") {
    for (const char* good : {"a", "A1", "foo.bar", "foo-bar_baz", "9lives"}) {
        INFO(good);
        CHECK(is_valid_name(good));
        CHECK(parse_name(good).has_value());
    }
    for (const char* bad : {"", "-foo", "foo-", ".foo", "foo bar", "foo!", "_"}) {
        INFO(bad);
        CHECK_FALSE(is_valid_name(bad));
        auto r = parse_name(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(std::string(r.error().what()).find("invalid project name") == 0);
    }
    CHECK(*parse_name("Foo.Bar") == "foo-bar");
}
