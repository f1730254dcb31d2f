#include <catch2/catch.hpp>
#include <thread>

#include "omni/bubble/activation.hpp"
#include "omni/bubble/store.hpp"
#include "omni/util/fs.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
using namespace omni::bubble;
namespace stdfs = std::filesystem;

namespace {

struct Fixture {
    test::TempDir dir;
    Home home{dir / "home"};
    BubbleStore store{home};
    Fixture() { home.ensure_layout(); }
};

const BubbleSpec rich{"cpython-3.11", "rich", "13.4.2", "rich==13.4.2", ""};

BubbleBuilder writes(std::atomic<int>& builds) {
    return [&builds](const stdfs::path& root) {
        ++builds;
        test::write_text(root / "rich" / "__init__.py", "__version__ = '13.4.2'\n");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return std::vector<Distribution>{{"rich", "13.4.2", {"rich"}, 1, "ab"}};
    };
}

}  // namespace

TEST_CASE("bubble: ensure builds once and publishes a complete bubble") {
    Fixture f;
    std::atomic<int> builds{0};
    const auto first = f.store.ensure(rich, writes(builds));
    CHECK(first.built);
    CHECK(first.info.path == f.home.bubbles_dir() / "cpython-3.11" / "rich-13.4.2");
    CHECK(stdfs::exists(first.info.path / "rich" / "__init__.py"));
    const auto again = f.store.ensure(rich, writes(builds));
    CHECK_FALSE(again.built);
    CHECK(builds == 1);
    const auto found = f.store.find("cpython-3.11", "rich", "13.4.2");
    REQUIRE(found);
    CHECK(found->requirement == "rich==13.4.2");
    CHECK(found->distributions.at(0).import_names == std::vector<std::string>{"rich"});
    CHECK(stdfs::is_empty(f.home.staging_dir()));
}

TEST_CASE("bubble: eight threads asking for one bubble build it once") {
    Fixture f;
    std::atomic<int> builds{0};
    std::vector<std::thread> threads;
    std::atomic<int> published{0};
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&] {
            BubbleStore store(f.home);
            if (store.ensure(rich, writes(builds)).built)
                ++published;
        });
    for (auto& t : threads)
        t.join();
    CHECK(builds == 1);
    CHECK(published == 1);
}

TEST_CASE("bubble: a failing build leaves nothing behind") {
    Fixture f;
    CHECK_THROWS(f.store.ensure(rich, [](const stdfs::path& root) -> std::vector<Distribution> {
        test::write_text(root / "partial.py", "x = 1\n");
        throw Error(ErrorCode::integrity, "bad wheel");
    }));
    CHECK_FALSE(f.store.find("cpython-3.11", "rich", "13.4.2"));
    CHECK_FALSE(stdfs::exists(f.store.path_for("cpython-3.11", "rich", "13.4.2")));
    CHECK(stdfs::is_empty(f.home.staging_dir()));
}

TEST_CASE("bubble: list and remove") {
    Fixture f;
    std::atomic<int> builds{0};
    f.store.ensure(rich, writes(builds));
    f.store.ensure({"cpython-3.9", "rich", "13.6.0", "rich==13.6.0", ""}, writes(builds));
    CHECK(f.store.list().size() == 2);
    CHECK(f.store.list(std::string_view("cpython-3.9")).size() == 1);
    CHECK(f.store.remove("cpython-3.11", "rich", "13.4.2"));
    CHECK_FALSE(f.store.remove("cpython-3.11", "rich", "13.4.2"));
    CHECK(f.store.list().size() == 1);
    CHECK(stdfs::is_empty(f.home.staging_dir()));
}

TEST_CASE("bubble: a damaged bubble.json is a clear error naming the file") {
    Fixture f;
    std::atomic<int> builds{0};
    const auto made = f.store.ensure(rich, writes(builds));
    fs::atomic_write(made.info.path / "bubble.json", "{ nope");
    const auto read = read_bubble(made.info.path);
    REQUIRE_FALSE(read);
    CHECK_THAT(read.error().what(), Catch::Contains((made.info.path / "bubble.json").string()));
    CHECK(f.store.list().empty());
}

TEST_CASE("bubble: activation puts bubbles and their scripts in front") {
    BubbleInfo a, b;
    a.path = "/h/bubbles/cpython-3.11/rich-13.4.2";
    b.path = "/h/bubbles/cpython-3.11/click-8.0";
    auto env = activation_environment({a, b}, "/existing", "/usr/bin");
    CHECK(env["PYTHONPATH"] ==
          "/h/bubbles/cpython-3.11/rich-13.4.2:/h/bubbles/cpython-3.11/click-8.0:/existing");
    CHECK(env.count("PATH") == 0);  // neither has a bin/ directory
    env = activation_environment({a}, nullptr, nullptr);
    CHECK(env["PYTHONPATH"] == "/h/bubbles/cpython-3.11/rich-13.4.2");
}

TEST_CASE("bubble: a variant lives beside the usual bubble of the same version") {
    Fixture f;
    std::atomic<int> builds{0};
    const auto plain = f.store.ensure(rich, writes(builds));
    auto lowest_spec = rich;
    lowest_spec.variant = "lowest";
    const auto lowest = f.store.ensure(lowest_spec, writes(builds));
    CHECK(builds == 2);
    CHECK(plain.info.path.filename() == "rich-13.4.2");
    CHECK(lowest.info.path.filename() == "rich-13.4.2-lowest");
    CHECK(f.store.find("cpython-3.11", "rich", "13.4.2")->variant.empty());
    CHECK(f.store.find("cpython-3.11", "rich", "13.4.2", "lowest")->variant == "lowest");
    CHECK_FALSE(f.store.ensure(lowest_spec, writes(builds)).built);
    CHECK(f.store.list().size() == 2);
    CHECK(f.store.remove("cpython-3.11", "rich", "13.4.2", "lowest"));
    CHECK(f.store.find("cpython-3.11", "rich", "13.4.2"));
    CHECK_FALSE(f.store.find("cpython-3.11", "rich", "13.4.2", "lowest"));
}
