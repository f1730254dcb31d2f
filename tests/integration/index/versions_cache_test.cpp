// `omni versions` reads index pages through the page cache under the
// cache's shared lock, like every other fetch: two of them in a loop beside
// `omni cache clean` in a loop, against a loopback index, all succeed and
// list every version.
#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <thread>

#include "integration/index/fixture_server.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

TEST_CASE("omni versions beside cache clean: every run succeeds") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    if (!test::pyenv_python("3.11"))
        return;
    test::OmniHome omni;
    const auto root = omni.scratch() / "index";
    test::make_index(root, {"--spec-json", R"({"packages": [
        {"name": "vc-pkg", "version": "1.0"}, {"name": "vc-pkg", "version": "1.1"},
        {"name": "vc-pkg", "version": "2.0"}]})"});
    test::FixtureServer server(root);
    const std::map<std::string, std::optional<std::string>> env{{"OMNI_PYTHON", "3.11"},
                                                                {"OMNI_INDEX_URL", server.url()}};
    constexpr int rounds = 40;
    std::atomic<int> failures{0};
    std::string first_failure;
    std::mutex mutex;
    const auto note = [&](const std::string& what, const ProcessResult& r) {
        if (r.ok() && (what != "versions" || r.out == "2.0\n1.1\n1.0\n"))
            return;
        ++failures;
        const std::lock_guard<std::mutex> lock(mutex);
        if (first_failure.empty())
            first_failure = what + ": " + r.describe() + "\n" + r.out + r.err;
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < rounds; ++i)
                note("versions", omni.omni({"versions", "vc-pkg"}, env));
        });
    threads.emplace_back([&] {
        for (int i = 0; i < rounds; ++i)
            note("cache clean", omni.omni({"cache", "clean"}, env));
    });
    for (auto& t : threads)
        t.join();
    INFO(first_failure);
    CHECK(failures == 0);
}
