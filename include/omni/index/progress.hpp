#pragma once
// What the index client is doing, as events for whoever shows progress: how
// many packages the resolution has read, requests under way and done, and
// body bytes received. The library never prints; it calls the sink, at most
// once per interval, at once when the last request under way finishes
// (in_flight 0), and once more on flush, from whichever thread moved the
// numbers, one call at a time.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>

namespace omni {

struct IndexProgress {
    std::size_t packages = 0;   // packages whose metadata the resolution has read
    std::size_t in_flight = 0;  // requests under way
    std::size_t requests = 0;   // requests finished
    std::uint64_t bytes = 0;    // body bytes received
    bool final = false;         // the last event (from flush)
};

using IndexProgressSink = std::function<void(const IndexProgress&)>;

class IndexMeter {
  public:
    explicit IndexMeter(IndexProgressSink sink,
                        std::chrono::milliseconds interval = std::chrono::milliseconds(100));

    void request_started();
    void request_finished();
    void bytes_received(std::uint64_t n);
    void package_read();

    IndexProgress snapshot() const;
    // Sends the current numbers now, marked final.
    void flush();

  private:
    void maybe_emit();
    void emit_now(bool final);  // whatever the interval

    IndexProgressSink sink_;
    std::chrono::milliseconds interval_;
    std::atomic<std::size_t> packages_{0}, in_flight_{0}, requests_{0};
    std::atomic<std::uint64_t> bytes_{0};
    std::mutex emit_mutex_;
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace omni
