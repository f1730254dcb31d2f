#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "omni/standards/specifier.hpp"

using namespace omni::standards;

namespace {
Version v(const char* s) {
    auto r = Version::parse(s);
    REQUIRE(r.has_value());
    return *r;
}
SpecifierSet set(const char* s) {
    auto r = SpecifierSet::parse(s);
    REQUIRE(r.has_value());
    return *r;
}
}  // namespace

TEST_CASE("specifiers match versions as packaging does") {
    struct Case {
        const char* spec;
        const char* version;
        bool expected;
    };
    // Default pre-release policy throughout: packaging 26 lets a matching
    // pre-release in (one version has no alternative), forced off below.
    const std::vector<Case> cases = {
        {"==1.0", "1.0", true},
        {"==1.0", "1.0.0", true},
        {"==1.0", "1.0+local", true},
        {"==1.0+local", "1.0", false},
        {"==1.0+local", "1.0+local", true},
        {"==1.0+local", "1.0+other", false},
        {"==1.4.*", "1.4", true},
        {"==1.4.*", "1.4.5", true},
        {"==1.4.*", "1.4.5+x", true},
        {"==1.4.*", "1.5", false},
        {"==1.4.*", "1.40", false},
        {"==1.4.*", "1.4.post1", true},
        {"==1.4.0.*", "1.4", true},
        {"==1!1.*", "1.0", false},
        {"!=1.4.*", "1.4.2", false},
        {"!=1.4.*", "1.5", true},
        {"!=1.0", "1.0+x", false},
        {"!=1.0", "1.0.post1", true},
        {">1.7", "1.7.post1", false},
        {">1.7", "1.7.1", true},
        {">1.7.post1", "1.7.post2", true},
        {">1.7", "1.7+local", false},
        {">1.7", "1.8+local", true},
        {"<1.7", "1.7rc1", false},
        {"<1.7", "1.7.dev0", false},
        {"<1.7", "1.6rc1", true},
        {"<1.7", "1.6.9", true},
        {"<1.7rc1", "1.6", true},
        {"<1.7", "1.7+x", false},
        {"<=1.7", "1.7+x", true},
        {">=1.7", "1.7+x", true},
        {">=1.7", "1.6.99", false},
        {"~=2.2", "2.3", true},
        {"~=2.2", "3.0", false},
        {"~=2.2", "2.1", false},
        {"~=2.2.0", "2.2.5", true},
        {"~=2.2.0", "2.3", false},
        {"~=1.4.5a4", "1.4.5", true},
        {"~=1.4.5a4", "1.4.5a5", true},
        {"~=1!1.0", "1.5", false},
        {"~=1!1.0", "1!1.5", true},
        {"===1.0", "1.0", true},
        {"===1.0", "1.0.0", false},
        {"===1.0.0-RC1", "1.0.0rc1", false},
        {">=1.0", "2.0a1", true},
        {">=1.0a1", "2.0a1", true},
        {"==1.0rc1", "1.0rc1", true},
        {"!=1.0rc1", "1.0rc2", true},  // packaging 24.1 said false
    };
    for (const auto& c : cases) {
        INFO(c.spec << " contains " << c.version);
        auto s = Specifier::parse(c.spec);
        REQUIRE(s.has_value());
        CHECK(s->contains(v(c.version)) == c.expected);
    }
}

TEST_CASE("the pre-release policy can be forced either way") {
    auto s = *Specifier::parse(">=1.0");
    CHECK(s.contains(v("2.0a1")));
    CHECK(s.contains(v("2.0a1"), true));
    CHECK_FALSE(s.contains(v("2.0a1"), false));
    auto pre = *Specifier::parse(">=1.0a1");
    CHECK(pre.prereleases());
    CHECK_FALSE(pre.contains(v("2.0a1"), false));
    CHECK_FALSE(Specifier::parse("!=1.0a1")->prereleases());
    CHECK(Specifier::parse("<=1.0.dev1")->prereleases());
    CHECK(Specifier::parse("<1.7rc1")->contains(v("1.7a1"), true));
    CHECK(Specifier::parse("===1.0rc1")->contains(v("1.0rc1")));
}

TEST_CASE("invalid specifiers say where they are wrong") {
    const std::vector<const char*> bad = {
        "",          "1.0",       "=>1.0", ">=1.0.*",  "~=1",    "~=1.0+local", "<1.0+x",
        "==1.0a1.*", "==1.0.*.*", ">= ",   "==1.0 .*", "===a b", "===a;b",      "== 1.0 2",
        ">=1.0,",  // a lone specifier does not take commas
    };
    for (const char* s : bad) {
        INFO(s);
        auto r = Specifier::parse(s);
        REQUIRE_FALSE(r.has_value());
        CHECK(std::string(r.error().what()).find("invalid version specifier") == 0);
    }
}

TEST_CASE("specifier sets normalize, deduplicate and sort") {
    CHECK(set("").to_string().empty());
    CHECK(set(" >=1.0 , <2 ,, ").to_string() == "<2,>=1.0");
    CHECK(set("==1.0,==1.0.0").to_string() == "==1.0");
    CHECK(set("~=1.0,~=1.0.0").to_string() == "~=1.0,~=1.0.0");
    auto bad = SpecifierSet::parse(">=1.0, <2.x");
    REQUIRE_FALSE(bad.has_value());
    const std::string msg = bad.error().what();
    CHECK(msg.find("'>=1.0, <2.x'") != std::string::npos);
    CHECK(msg.substr(msg.rfind('\n') + 1) == "           ^");
}

TEST_CASE("specifier sets require every clause") {
    const auto s = set(">=1.0,!=1.5.*,<2");
    CHECK(s.contains(v("1.4")));
    CHECK_FALSE(s.contains(v("1.5.1")));
    CHECK_FALSE(s.contains(v("2.0")));
    CHECK(s.contains(v("1.9a1")));
    CHECK(s.contains(v("1.9a1"), true));
    CHECK_FALSE(s.contains(v("1.9a1"), false));
    CHECK(set("").contains(v("1.0a1")));
    CHECK_FALSE(set("").contains(v("1.0a1"), false));
    CHECK(set("").contains(v("1.0")));
    CHECK(set(">=1.0a1,<2").contains(v("1.9a1")));
}

TEST_CASE("filter falls back to pre-releases only when nothing else matches") {
    const std::vector<Version> versions = {v("1.2"), v("1.3"), v("1.5a1")};
    auto names = [](const std::vector<Version>& vs) {
        std::string out;
        for (const auto& x : vs)
            out += x.to_string() + " ";
        return out;
    };
    CHECK(names(set(">=1.2.3").filter(versions)) == "1.3 ");
    CHECK(names(set(">=1.2.3").filter(versions, true)) == "1.3 1.5a1 ");
    CHECK(names(set(">=1.4").filter(versions)) == "1.5a1 ");
    CHECK(names(set(">=1.4").filter(versions, false)).empty());
    CHECK(names(set("").filter(versions)) == "1.2 1.3 ");
    CHECK(names(set(">=1.0a1").filter(versions)) == "1.2 1.3 1.5a1 ");
    CHECK(set("<1").filter(versions).empty());
    CHECK(set(">=1.3").filter_indices(versions) == std::vector<std::size_t>{1});
}

// What packaging changed since 24.1 (the oracle of tests/differential).
TEST_CASE("packaging 26: a specifier naming a pre-release admits pre-releases, any operator") {
    CHECK(Specifier::parse(">1.0a1")->prereleases());
    CHECK(Specifier::parse("<1.0rc1")->prereleases());
    CHECK(Specifier::parse("<0.2.0a2")->prereleases());
    CHECK_FALSE(Specifier::parse("!=1.0a1")->prereleases());
    CHECK_FALSE(Specifier::parse("==1.0.*")->prereleases());
    CHECK(set("<1.0rc1").prereleases() == true);
    CHECK(set(">=1.0,<2").prereleases() == std::nullopt);
    CHECK(set("").prereleases() == std::nullopt);
    const std::vector<Version> versions = {v("0.9"), v("0.9.5rc1"), v("1.0a1")};
    CHECK(set("<1.0rc1").filter(versions) ==
          std::vector<Version>{v("0.9"), v("0.9.5rc1"), v("1.0a1")});
    const std::vector<Version> low = {v("0.1"), v("0.2.0a1")};
    CHECK(set("<0.2.0a2").filter(low) == low);
    const std::vector<Version> only_pre = {v("1.0.0a1")};
    CHECK(set(">0.0.0a1").filter(only_pre) == only_pre);
}

TEST_CASE("packaging 26.1: <V.postN and >V exclude only V's own pre- and post-releases") {
    // <V.postN: 1.0a1 is no pre-release of 1.0.post1; 1.0.post1.dev0 is.
    CHECK(Specifier::parse("<1.0.post1")->contains(v("1.0a1")));
    CHECK(Specifier::parse("<1.0.post1")->contains(v("1.0")));
    CHECK_FALSE(Specifier::parse("<1.0.post1")->contains(v("1.0.post1.dev0")));
    CHECK(Specifier::parse("<1.0.post1")->contains(v("1.0.post0")));
    // >V: 1.0.post1 is no post-release of 1.0a1.
    CHECK(Specifier::parse(">1.0a1")->contains(v("1.0.post1")));
    CHECK_FALSE(Specifier::parse(">1.0a1")->contains(v("1.0a1.post1")));
    CHECK(Specifier::parse(">1.0a1")->contains(v("1.0+local")));
    CHECK_FALSE(Specifier::parse(">1.0")->contains(v("1.0.post1")));
    CHECK_FALSE(Specifier::parse(">1.0")->contains(v("1.0+local")));
    // >V.postN and >V.devN exclude only V's local versions.
    CHECK(Specifier::parse(">1.0.post1")->contains(v("1.0.post2+local")));
    CHECK_FALSE(Specifier::parse(">1.0.post1")->contains(v("1.0.post1+local")));
    CHECK(Specifier::parse(">1.0.dev1")->contains(v("1.0")));
    CHECK(Specifier::parse(">1.0.dev1")->contains(v("1.0.post1")));
}
