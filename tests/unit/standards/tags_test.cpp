#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "omni/standards/tags.hpp"
#include "omni/standards/wheel_name.hpp"

using namespace omni::standards;

namespace {
InterpreterFacts cp311() {
    InterpreterFacts f;
    f.major = 3;
    f.minor = 11;
    f.platform = "linux-x86_64";
    f.glibc = std::pair{2u, 36u};
    return f;
}
std::size_t index_of(const std::vector<Tag>& tags, const std::string& t) {
    for (std::size_t i = 0; i < tags.size(); ++i) {
        if (tags[i].to_string() == t)
            return i;
    }
    return SIZE_MAX;
}
}  // namespace

TEST_CASE("supported tags follow packaging's order") {
    const auto tags = supported_tags(cp311());
    REQUIRE(!tags.empty());
    CHECK(tags.front().to_string() == "cp311-cp311-manylinux_2_36_x86_64");
    CHECK(tags.back().to_string() == "py30-none-any");
    // manylinux_2_N from 2_36 down to 2_5 with the legacy aliases in place.
    const auto plats = platform_tags(cp311());
    CHECK(plats.front() == "manylinux_2_36_x86_64");
    CHECK(index_of(tags, "cp311-cp311-manylinux2014_x86_64") ==
          index_of(tags, "cp311-cp311-manylinux_2_17_x86_64") + 1);
    CHECK(index_of(tags, "cp311-cp311-manylinux1_x86_64") ==
          index_of(tags, "cp311-cp311-manylinux_2_5_x86_64") + 1);
    CHECK(plats.back() == "linux_x86_64");
    CHECK(plats.size() == 32 + 3 + 1);
    // cp311 ABI, then abi3, then none, then older abi3 down to cp32.
    CHECK(index_of(tags, "cp311-cp311-linux_x86_64") <
          index_of(tags, "cp311-abi3-manylinux_2_36_x86_64"));
    CHECK(index_of(tags, "cp311-abi3-linux_x86_64") <
          index_of(tags, "cp311-none-manylinux_2_36_x86_64"));
    CHECK(index_of(tags, "cp32-abi3-linux_x86_64") != SIZE_MAX);
    CHECK(index_of(tags, "cp31-abi3-linux_x86_64") == SIZE_MAX);
    CHECK(index_of(tags, "cp311-none-any") < index_of(tags, "py311-none-any"));
    CHECK(index_of(tags, "py3-none-linux_x86_64") < index_of(tags, "cp311-none-any"));
}

TEST_CASE("musl and free-threaded interpreters get their own tags") {
    auto f = cp311();
    f.glibc.reset();
    f.musl = std::pair{1u, 2u};
    const auto plats = platform_tags(f);
    CHECK(plats == std::vector<std::string>{"musllinux_1_2_x86_64", "musllinux_1_1_x86_64",
                                            "musllinux_1_0_x86_64", "linux_x86_64"});
    auto t = cp311();
    t.minor = 13;
    t.abiflags = "t";
    const auto tags = supported_tags(t);
    CHECK(tags.front().to_string() == "cp313-cp313t-manylinux_2_36_x86_64");
    CHECK(index_of(tags, "cp313-abi3-linux_x86_64") == SIZE_MAX);
    auto i = cp311();
    i.pointer_size = 4;
    CHECK(platform_tags(i).back() == "linux_i686");
}

TEST_CASE("wheel names parse with build tags and compressed tag sets") {
    auto w = WheelName::parse("Foo_Bar-1.0.0-1abc-py2.py3-none-any.whl");
    REQUIRE(w.has_value());
    CHECK(w->name == "foo-bar");
    CHECK(w->version.to_string() == "1.0.0");
    REQUIRE(w->build.has_value());
    CHECK(w->build->number == 1);
    CHECK(w->build->suffix == "abc");
    REQUIRE(w->tags.size() == 2);
    CHECK(w->tags[0].to_string() == "py2-none-any");
    CHECK(w->tags[1].to_string() == "py3-none-any");
    auto m =
        WheelName::parse("numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    REQUIRE(m.has_value());
    CHECK_FALSE(m->build.has_value());
    CHECK(m->tags.size() == 2);
    for (const char* bad : {"foo-1.0-py3-none-any.zip", "foo-1.0-none-any.whl",
                            "foo-1.0.x-py3-none-any.whl", "a__b-1.0-py3-none-any.whl",
                            "foo-1.0-x1-py3-none-any.whl", "f-o-o-1.0-1-py3-none-any.whl"}) {
        INFO(bad);
        auto r = WheelName::parse(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(std::string(r.error().what()).find("invalid wheel file name") == 0);
    }
}

TEST_CASE("the best wheel is the one with the best ranked tag") {
    TagRanker ranker(supported_tags(cp311()));
    auto rank = [&](const char* file) { return ranker.best_rank(WheelName::parse(file)->tags); };
    const auto native = rank("x-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    const auto abi3 = rank("x-1.0-cp38-abi3-manylinux_2_28_x86_64.whl");
    const auto pure = rank("x-1.0-py3-none-any.whl");
    REQUIRE(native);
    REQUIRE(abi3);
    REQUIRE(pure);
    CHECK(*native < *abi3);
    CHECK(*abi3 < *pure);
    CHECK_FALSE(rank("x-1.0-cp312-cp312-manylinux_2_17_x86_64.whl").has_value());
    CHECK_FALSE(rank("x-1.0-py3-none-win_amd64.whl").has_value());
}
