#include <catch2/catch.hpp>

#include "omni/util/thread_pool.hpp"

using namespace omni;

TEST_CASE("every submitted task runs once and returns its value") {
    ThreadPool pool(4);
    CHECK(pool.size() == 4);
    std::atomic<int> runs{0};
    std::vector<std::future<int>> results;
    for (int i = 0; i < 1000; ++i)
        results.push_back(pool.submit([i, &runs] {
            ++runs;
            return i * 2;
        }));
    long sum = 0;
    for (auto& r : results)
        sum += r.get();
    CHECK(runs == 1000);
    CHECK(sum == 999L * 1000L);
}

TEST_CASE("an exception reaches the future and the pool keeps working") {
    ThreadPool pool(2);
    auto bad = pool.submit([]() -> int { throw std::runtime_error("boom"); });
    CHECK_THROWS_WITH(bad.get(), "boom");
    CHECK(pool.submit([] { return 7; }).get() == 7);
}

TEST_CASE("wait_idle returns after all work and the destructor drains the queue") {
    std::atomic<int> done{0};
    {
        ThreadPool pool(2);
        for (int i = 0; i < 50; ++i)
            pool.submit([&done] { ++done; });
        pool.wait_idle();
        CHECK(done == 50);
        for (int i = 0; i < 50; ++i)
            pool.submit([&done] { ++done; });
    }
    CHECK(done == 100);
}
