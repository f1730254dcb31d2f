#include <catch2/catch.hpp>

#include <chrono>
#include <vector>

#include "omni/index/progress.hpp"

using omni::IndexMeter;
using omni::IndexProgress;

TEST_CASE("the index meter tells at once when nothing is under way") {
    std::vector<IndexProgress> events;
    // An interval no test outlasts: after the first, only the idle and
    // final events pass.
    IndexMeter meter([&](const IndexProgress& p) { events.push_back(p); }, std::chrono::hours(1));
    meter.request_started();
    meter.request_started();
    meter.bytes_received(10);
    meter.request_finished();  // one still under way: rate-limited
    const auto before = events.size();
    CHECK(before <= 1);        // at most the first, if the clock is past the interval
    meter.request_finished();  // the last one: sent at once
    REQUIRE(events.size() == before + 1);
    CHECK(events.back().in_flight == 0);
    CHECK(events.back().requests == 2);
    CHECK(events.back().bytes == 10);
    CHECK_FALSE(events.back().final);
    meter.package_read();
    meter.flush();
    REQUIRE(events.size() == before + 2);
    CHECK(events.back().final);
    CHECK(events.back().packages == 1);
}

TEST_CASE("a meter without a sink counts silently") {
    IndexMeter meter(nullptr);
    meter.request_started();
    meter.request_finished();
    meter.flush();
    CHECK(meter.snapshot().requests == 1);
}
