#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <random>

#include "omni/resolve/memory_source.hpp"
#include "omni/resolve/resolver.hpp"
#include "omni/util/error.hpp"

using namespace omni;
using namespace omni::resolve;

namespace {

ResolveOptions require(std::initializer_list<const char*> requirements) {
    ResolveOptions options;
    for (const auto* r : requirements)
        options.requirements.push_back(parse_simple_requirement(r));
    return options;
}

// "a==1.0 b==2.0" for the resolution, for compact assertions.
std::string pins(const Resolution& r) {
    std::string out;
    for (const auto& p : r.packages) {
        out += (out.empty() ? "" : " ") + p.name;
        for (const auto& e : p.extras)
            out += "[" + e + "]";
        out += "==" + p.version.to_string();
    }
    return out;
}

std::string failure(PackageSource& source, const ResolveOptions& options) {
    try {
        solve(source, options);
    } catch (const Error& e) {
        return std::string(to_string(e.code())) + ": " + e.what();
    }
    return "resolved";
}

standards::Version v(const char* text) {
    return *standards::Version::parse(text);
}

}  // namespace

TEST_CASE("resolver: a simple pin and the newest otherwise") {
    MemorySource s;
    s.add("a", "1.0", {"b>=1"});
    s.add("a", "2.0", {"b>=2"});
    s.add("b", "1.0");
    s.add("b", "2.0");
    s.add("b", "3.0");
    CHECK(pins(solve(s, require({"a==1.0"}))) == "a==1.0 b==3.0");
    CHECK(pins(solve(s, require({"a", "b<3"}))) == "a==2.0 b==2.0");
}

TEST_CASE("resolver: lowest resolution takes the oldest allowed versions") {
    MemorySource s;
    s.add("a", "1.0", {"b>=2"});
    s.add("a", "2.0", {"b>=2,<4"});
    for (auto* ver : {"1.0", "2.0", "3.0", "4.0"})
        s.add("b", ver);
    auto options = require({"a>=1.5"});
    options.lowest = true;
    CHECK(pins(solve(s, options)) == "a==2.0 b==2.0");
    options.lowest = false;
    CHECK(pins(solve(s, options)) == "a==2.0 b==3.0");
}

TEST_CASE("resolver: a diamond meets in the middle") {
    MemorySource s;
    s.add("root-a", "1.0", {"shared>=1,<3"});
    s.add("root-b", "1.0", {"shared>=2"});
    for (auto* ver : {"1.0", "2.0", "2.5", "3.0"})
        s.add("shared", ver);
    CHECK(pins(solve(s, require({"root-a", "root-b"}))) == "root-a==1.0 root-b==1.0 shared==2.5");
}

TEST_CASE("resolver: conflict resolution backtracks past a bad decision") {
    // The example from PubGrub's documentation: foo 1.1 needs bar 2 which
    // needs a missing baz... so foo must drop to 1.0.
    MemorySource s;
    s.add("foo", "1.0");
    s.add("foo", "1.1", {"bar>=2"});
    s.add("bar", "1.0");
    s.add("bar", "2.0", {"baz>=3"});
    s.add("baz", "1.0");
    CHECK(pins(solve(s, require({"foo"}))) == "foo==1.0");
}

TEST_CASE("resolver: deep backtracking through several levels") {
    MemorySource s;
    // Every x>=2 drags in y>=2, every y>=2 drags in z>=2, and z>=2 clashes
    // with the root's pin on w: only x 1 works.
    for (int i = 1; i <= 5; ++i) {
        const auto ver = std::to_string(i) + ".0";
        s.add("x", ver, {i >= 2 ? "y>=2" : "y<2"});
        s.add("y", ver, {i >= 2 ? "z>=2" : "z<2"});
        s.add("z", ver, {i >= 2 ? "w>=2" : "w<2"});
        s.add("w", ver);
    }
    const auto r = solve(s, require({"x", "w==1.0"}));
    CHECK(pins(r) == "w==1.0 x==1.0 y==1.0 z==1.0");
    CHECK(r.conflicts > 0);
}

TEST_CASE("resolver: conflicting transitive pins explain themselves") {
    MemorySource s;
    s.add("app", "1.0", {"lib==1.0"});
    s.add("tool", "1.0", {"lib==2.0"});
    s.add("lib", "1.0");
    s.add("lib", "2.0");
    const auto text = failure(s, require({"app", "tool"}));
    CHECK_THAT(text, Catch::StartsWith("conflict: no solution satisfies these requirements:"));
    CHECK_THAT(text, Catch::Contains("app ==1.0 depends on lib ==1.0"));
    CHECK_THAT(text, Catch::Contains("tool ==1.0 depends on lib ==2.0"));
    CHECK_THAT(text, Catch::Contains("The requirements that conflict: app, tool."));
}

TEST_CASE("resolver: the explanation numbers lines it refers back to") {
    MemorySource s;
    s.add("a", "1.0", {"c==1.0"});
    s.add("a", "2.0", {"c==2.0"});
    s.add("b", "1.0", {"c==3.0"});
    s.add("b", "2.0", {"c==3.0"});
    for (auto* ver : {"1.0", "2.0", "3.0"})
        s.add("c", ver);
    CHECK(failure(s, require({"a", "b"})) ==
          "conflict: no solution satisfies these requirements:\n"
          "  Because a ==1.0 depends on c ==1.0 and a ==2.0 depends on c ==2.0, a requires c "
          "<=2.0. (1)\n"
          "  Because b ==2.0 depends on c ==3.0 and b ==1.0 depends on c ==3.0, b requires c "
          "==3.0.\n"
          "  And because a requires c <=2.0 (1), a is incompatible with b.\n"
          "  And because you require a, b is forbidden.\n"
          "  And because you require b, your requirements cannot all be met.\n"
          "The requirements that conflict: a, b.");
}

TEST_CASE("resolver: extras add dependencies and tie to the same version") {
    MemorySource s;
    MemoryRelease rich1{
        "1.0", {{"pygments>=2", "", ""}, {"ipywidgets>=7", "jupyter", ""}}, "", false};
    MemoryRelease rich2{
        "2.0", {{"pygments>=2", "", ""}, {"ipywidgets>=8", "jupyter", ""}}, "", false};
    s.add("rich", rich1);
    s.add("rich", rich2);
    s.add("pygments", "2.0");
    s.add("ipywidgets", "7.0");
    CHECK(pins(solve(s, require({"rich"}))) == "pygments==2.0 rich==2.0");
    // ipywidgets 8 does not exist, so rich[jupyter] has to take rich 1.0.
    CHECK(pins(solve(s, require({"rich[jupyter]"}))) ==
          "ipywidgets==7.0 pygments==2.0 rich[jupyter]==1.0");
}

TEST_CASE("resolver: markers remove a dependency for one Python version") {
    auto make = [](const char* python) {
        MemorySource s(v(python));
        s.add("app", MemoryRelease{"1.0", {{"backport>=1", "", "<3.8"}}, "", false});
        s.add("backport", "1.0");
        return s;
    };
    auto old_python = make("3.7.16");
    auto new_python = make("3.11.7");
    CHECK(pins(solve(old_python, require({"app"}))) == "app==1.0 backport==1.0");
    CHECK(pins(solve(new_python, require({"app"}))) == "app==1.0");
}

TEST_CASE("resolver: Requires-Python excludes the newest versions") {
    MemorySource s;
    s.add("lib", MemoryRelease{"1.0", {}, ">=3.6", false});
    s.add("lib", MemoryRelease{"2.0", {}, ">=3.10", false});
    s.add("lib", MemoryRelease{"3.0", {}, ">=3.12", false});
    auto options = require({"lib"});
    options.python_version = v("3.11.7");
    CHECK(pins(solve(s, options)) == "lib==2.0");
    options.python_version = v("3.9.18");
    CHECK(pins(solve(s, options)) == "lib==1.0");
    auto pinned = require({"lib==3.0"});
    pinned.python_version = v("3.9.18");
    const auto text = failure(s, pinned);
    CHECK_THAT(text, Catch::Contains("lib 3.0 requires Python >=3.12"));
}

TEST_CASE("resolver: yanked versions are skipped unless pinned") {
    MemorySource s;
    s.add("lib", "1.0");
    s.add("lib", MemoryRelease{"2.0", {}, "", true});
    CHECK(pins(solve(s, require({"lib"}))) == "lib==1.0");
    CHECK(pins(solve(s, require({"lib==2.0"}))) == "lib==2.0");
    CHECK(pins(solve(s, require({"lib===2.0"}))) == "lib==2.0");
    // PEP 592: a range that only the yanked release satisfies does not use it.
    CHECK_THAT(failure(s, require({"lib>=2.0"})), Catch::Contains("lib 2.0 is yanked"));
    CHECK_THAT(failure(s, require({"lib==2.*"})), Catch::Contains("lib 2.0 is yanked"));
    // A dependency's exact pin counts as a pin.
    s.add("app", "1.0", {"lib==2.0"});
    CHECK(pins(solve(s, require({"app"}))) == "app==1.0 lib==2.0");
}

TEST_CASE("resolver: pre-releases follow PEP 440") {
    MemorySource s;
    s.add("lib", "1.0");
    s.add("lib", "2.0b1");
    s.add("only-pre", "1.0a1");
    s.add("only-pre", "1.0a2");
    CHECK(pins(solve(s, require({"lib"}))) == "lib==1.0");
    CHECK(pins(solve(s, require({"lib>=2.0b1"}))) == "lib==2.0b1");
    auto pre = require({"lib"});
    pre.prereleases = true;
    CHECK(pins(solve(s, pre)) == "lib==2.0b1");
    // Only pre-releases exist: they are used.
    CHECK(pins(solve(s, require({"only-pre"}))) == "only-pre==1.0a2");
    // packaging 26: a specifier naming a pre-release with < admits them.
    CHECK(pins(solve(s, require({"lib<2.0rc1"}))) == "lib==2.0b1");
}

TEST_CASE("resolver: pre-releases are judged on a package's requirements together") {
    MemorySource s;
    // Root b>0.0.0a1 with a's b>0.1, only b 1.0.0a1 above 0.1.
    s.add("a", "1.0", {"b>0.1"});
    s.add("b", "0.1");
    s.add("b", "1.0.0a1");
    CHECK(pins(solve(s, require({"a", "b>0.0.0a1"}))) == "a==1.0 b==1.0.0a1");
    // Nothing names a pre-release and no final satisfies both: 1.0.0a1.
    CHECK(pins(solve(s, require({"a", "b"}))) == "a==1.0 b==1.0.0a1");
    // Root c>=0.0.0a1, x's c==2.0.0b1 and y's c>=1.0.0,<=3.0.0.
    MemorySource t;
    t.add("x", "1.0", {"c==2.0.0b1"});
    t.add("y", "1.0", {"c>=1.0.0,<=3.0.0"});
    t.add("c", "1.0.0");
    t.add("c", "2.0.0b1");
    t.add("c", "3.0.0");
    CHECK(pins(solve(t, require({"c>=0.0.0a1", "x", "y"}))) == "c==2.0.0b1 x==1.0 y==1.0");
    CHECK(pins(solve(t, require({"x", "y"}))) == "c==2.0.0b1 x==1.0 y==1.0");
    // A final that satisfies everything wins over a newer pre-release.
    MemorySource u;
    u.add("d", "1.0");
    u.add("d", "2.0a1");
    CHECK(pins(solve(u, require({"d>=0.5"}))) == "d==1.0");
    CHECK(pins(solve(u, require({"d>=1.5"}))) == "d==2.0a1");
}

TEST_CASE("resolver: dependency cycles resolve") {
    MemorySource s;
    s.add("a", "1.0", {"b"});
    s.add("b", "1.0", {"a"});
    CHECK(pins(solve(s, require({"a"}))) == "a==1.0 b==1.0");
}

TEST_CASE("resolver: constraints restrict without requiring") {
    MemorySource s;
    s.add("a", "1.0", {"b"});
    s.add("b", "1.0");
    s.add("b", "2.0");
    s.add("c", "1.0");
    auto options = require({"a"});
    options.constraints.push_back(parse_simple_requirement("b<2"));
    options.constraints.push_back(parse_simple_requirement("c==1.0"));
    CHECK(pins(solve(s, options)) == "a==1.0 b==1.0");
}

TEST_CASE("resolver: installed versions are preferred when they satisfy") {
    MemorySource s;
    s.add("a", "1.0", {"b>=1"});
    for (auto* ver : {"1.0", "1.5", "2.0"})
        s.add("b", ver);
    auto options = require({"a"});
    options.preferred.emplace("b", v("1.5"));
    CHECK(pins(solve(s, options)) == "a==1.0 b==1.5");
    auto newer = require({"a", "b>=2"});
    newer.preferred.emplace("b", v("1.5"));
    CHECK(pins(solve(s, newer)) == "a==1.0 b==2.0");
}

TEST_CASE("resolver: no such package and no matching version are clear") {
    MemorySource s;
    s.add("a", "1.0", {"ghost>=1"});
    for (auto* ver : {"1.0", "1.1", "1.2", "2.0", "3.0"})
        s.add("b", ver);
    CHECK_THAT(failure(s, require({"a"})),
               Catch::Contains("a ==1.0 depends on ghost >=1, which no index has"));
    const auto text = failure(s, require({"b>=2.5,<2.9"}));
    CHECK_THAT(text,
               Catch::Contains(
                   "you require b <2.9,>=2.5, which matches no version (nearest: 1.2, 2.0, 3.0)"));
    CHECK_THAT(failure(s, require({"nothing-here"})), Catch::Contains("nothing-here"));
}

TEST_CASE("resolver: the same input resolves the same way") {
    MemorySource s;
    s.add("a", "1.0", {"b", "c"});
    s.add("b", "1.0", {"c<2"});
    s.add("c", "1.0");
    s.add("c", "2.0");
    const auto first = pins(solve(s, require({"a"})));
    for (int i = 0; i < 5; ++i)
        CHECK(pins(solve(s, require({"a"}))) == first);
    CHECK(first == "a==1.0 b==1.0 c==1.0");
}

TEST_CASE("resolver: a generated graph resolves in bounded steps and the answer holds") {
    // 120 packages x 12 versions, random ranges on later packages: every
    // pick must satisfy every dependency of every picked version.
    std::mt19937 rng(42);
    MemorySource s;
    const int packages = 120, versions = 12;
    std::map<std::pair<int, int>, std::vector<std::pair<int, std::pair<int, int>>>> deps;
    for (int p = 0; p < packages; ++p) {
        for (int ver = 1; ver <= versions; ++ver) {
            std::vector<std::string> reqs;
            for (int k = 0; k < 3 && p + 1 < packages; ++k) {
                const int q =
                    p + 1 +
                    static_cast<int>(rng() % static_cast<unsigned>(std::min(10, packages - p - 1)));
                const int lo = 1 + static_cast<int>(rng() % versions);
                const int hi = lo + 1 + static_cast<int>(rng() % 6);
                reqs.push_back(fmt::format("p{}>={},<{}", q, lo, hi));
                deps[{p, ver}].push_back({q, {lo, hi}});
            }
            s.add(fmt::format("p{}", p), std::to_string(ver), reqs);
        }
    }
    auto options = require({"p0"});
    options.max_steps = 20000;
    try {
        const auto r = solve(s, options);
        std::map<std::string, int> chosen;
        for (const auto& p : r.packages)
            chosen[p.name] = static_cast<int>(p.version.release_at(0));
        for (const auto& [name, ver] : chosen) {
            const int p = std::stoi(name.substr(1));
            for (const auto& [q, range] : deps[{p, ver}]) {
                const auto it = chosen.find(fmt::format("p{}", q));
                REQUIRE(it != chosen.end());
                CHECK(it->second >= range.first);
                CHECK(it->second < range.second);
            }
        }
    } catch (const Error& e) {
        // An honest failure must be a conflict with an explanation, never a give-up.
        CHECK(e.code() == ErrorCode::conflict);
        CHECK_THAT(e.what(), Catch::Contains("Because"));
    }
}
