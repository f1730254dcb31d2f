#include <catch2/catch.hpp>
#include <string>
#include <unordered_set>
#include <vector>

#include "omni/standards/version.hpp"

using omni::standards::Version;

namespace {
Version v(const char* s) {
    auto r = Version::parse(s);
    REQUIRE(r.has_value());
    return *r;
}
}  // namespace

TEST_CASE("versions normalize every PEP 440 spelling") {
    struct Case {
        const char* in;
        const char* out;
    };
    const std::vector<Case> cases = {
        {"1.0", "1.0"},
        {"1.0.0-RC1", "1.0.0rc1"},
        {"v1.0", "1.0"},
        {"V2", "2"},
        {"  1.0\t", "1.0"},
        {"1!2.0", "1!2.0"},
        {"0!2.0", "2.0"},
        {"1.0-1", "1.0.post1"},
        {"1.0_post_2", "1.0.post2"},
        {"1.0.rev3", "1.0.post3"},
        {"1.0r", "1.0.post0"},
        {"1.0-r", "1.0.post0"},
        {"1.0alpha1", "1.0a1"},
        {"1.0.beta.2", "1.0b2"},
        {"1.0c1", "1.0rc1"},
        {"1.0pre1", "1.0rc1"},
        {"1.0preview", "1.0rc0"},
        {"1.0a", "1.0a0"},
        {"1.0a.1", "1.0a1"},
        {"1.0-dev", "1.0.dev0"},
        {"1.0DEV_3", "1.0.dev3"},
        {"1.0.post1.dev2", "1.0.post1.dev2"},
        {"01.002.0003", "1.2.3"},
        {"1.0+ubuntu-1_2", "1.0+ubuntu.1.2"},
        {"1.0+ABC.007", "1.0+abc.7"},
        {"1.0a1.post2.dev3+x", "1.0a1.post2.dev3+x"},
        {"1.0.0.0.0.0.0.1", "1.0.0.0.0.0.0.1"},
    };
    for (const auto& c : cases) {
        INFO(c.in);
        auto r = Version::parse(c.in);
        REQUIRE(r.has_value());
        CHECK(r->to_string() == c.out);
    }
}

TEST_CASE("invalid versions are rejected with the position of the problem") {
    struct Case {
        const char* in;
        std::size_t caret_col;  // column of '^' in the quoted line
    };
    const std::vector<Case> cases = {
        {"", 0},       {"v", 1},        {"1.0.x", 3}, {"1..0", 1},
        {"1.0+", 4},   {"1.0+a..b", 5}, {"1!", 2},    {"!1", 0},
        {"1.0 2", 4},  {"1.0-", 3},     {"1.0re", 4}, {"1.0.post1.post2", 9},
        {"1.0+a_", 5}, {"1.0a1b2", 5},
    };
    for (const auto& c : cases) {
        INFO(c.in);
        auto r = Version::parse(c.in);
        REQUIRE_FALSE(r.has_value());
        const std::string msg = r.error().what();
        CHECK(msg.find("invalid version") == 0);
        const auto last = msg.rfind('\n');
        CHECK(msg.size() - last - 4 == c.caret_col);
    }
}

TEST_CASE("numbers beyond 64 bits are refused instead of wrapping") {
    auto r = Version::parse("1.99999999999999999999999");
    REQUIRE_FALSE(r.has_value());
    CHECK(std::string(r.error().what()).find("number too large") != std::string::npos);
}

TEST_CASE("versions order as packaging orders them") {
    // Strictly increasing.
    const std::vector<const char*> order = {
        "1.0.dev456",
        "1.0a1",
        "1.0a2.dev456",
        "1.0a12.dev456",
        "1.0a12",
        "1.0b1.dev456",
        "1.0b2",
        "1.0b2.post345.dev456",
        "1.0b2.post345",
        "1.0b2-346",
        "1.0c1.dev456",
        "1.0c1",
        "1.0rc2",
        "1.0c3",
        "1.0",
        "1.0+abc.5",
        "1.0+abc.7",
        "1.0+5",
        "1.0.post456.dev34",
        "1.0.post456",
        "1.0.15",
        "1.1.dev1",
        "1.1",
        "1.1+1",
        "1!0.1",
    };
    for (std::size_t i = 0; i + 1 < order.size(); ++i) {
        INFO(order[i] << " < " << order[i + 1]);
        CHECK(v(order[i]) < v(order[i + 1]));
        CHECK(v(order[i + 1]) > v(order[i]));
        CHECK(v(order[i]) != v(order[i + 1]));
    }
}

TEST_CASE("local segments compare numbers above words and shorter first") {
    CHECK(v("1.0+1") > v("1.0+abc"));
    CHECK(v("1.0+abc") < v("1.0+abd"));
    CHECK(v("1.0+abc") < v("1.0+abc.0"));
    CHECK(v("1.0+2") < v("1.0+10"));
    CHECK(v("1.0+007") == v("1.0+7"));
    CHECK(v("1.0") < v("1.0+0"));
}

TEST_CASE("trailing zeros do not change equality or the hash") {
    CHECK(v("1.0") == v("1.0.0"));
    CHECK(v("1") == v("1.0.0.0.0.0.0"));
    CHECK(v("1.0").hash() == v("1.0.0.0.0.0.0").hash());
    CHECK(v("1.0+a") != v("1.0"));
    std::unordered_set<Version> set = {v("1.0"), v("1.0.0"), v("1.0.post0"), v("v1.0")};
    CHECK(set.size() == 2);
}

TEST_CASE("version accessors report the parts") {
    const Version x = v("2!1.2.3.4.5.6rc4.post5.dev6+local.9");
    CHECK(x.epoch() == 2);
    CHECK(x.release().size() == 6);
    CHECK(x.release_at(5) == 6);
    CHECK(x.release_at(9) == 0);
    REQUIRE(x.pre());
    CHECK(x.pre()->kind == omni::standards::PreKind::rc);
    CHECK(x.pre()->number == 4);
    CHECK(x.post() == 5u);
    CHECK(x.dev() == 6u);
    CHECK(x.local() == "local.9");
    CHECK(x.is_prerelease());
    CHECK(x.is_devrelease());
    CHECK(x.is_postrelease());
    CHECK(x.base_version().to_string() == "2!1.2.3.4.5.6");
    CHECK(x.public_version().to_string() == "2!1.2.3.4.5.6rc4.post5.dev6");
    CHECK_FALSE(v("1.0.post1").is_prerelease());
    CHECK(v("1.0.post1.dev1").is_prerelease());
    CHECK_FALSE(v("1.0").pre().has_value());
}

TEST_CASE("canonicalize_version strips trailing zeros of the release only") {
    using omni::standards::canonicalize_version;
    CHECK(canonicalize_version("1.0.0") == "1");
    CHECK(canonicalize_version("1.0.0", false) == "1.0.0");
    CHECK(canonicalize_version("10.0rc1") == "10rc1");
    CHECK(canonicalize_version("1.0.post0") == "1.post0");
    CHECK(canonicalize_version("1.10.0+loc") == "1.10+loc");
    CHECK(canonicalize_version("0.0") == "0");
    CHECK(canonicalize_version("not a version") == "not a version");
}
