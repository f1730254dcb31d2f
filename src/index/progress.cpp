#include "omni/index/progress.hpp"

namespace omni {

IndexMeter::IndexMeter(IndexProgressSink sink, std::chrono::milliseconds interval)
    : sink_(std::move(sink)), interval_(interval) {}

void IndexMeter::request_started() {
    ++in_flight_;
    maybe_emit();
}

void IndexMeter::request_finished() {
    ++requests_;
    if (--in_flight_ == 0)
        emit_idle();
    else
        maybe_emit();
}

void IndexMeter::bytes_received(std::uint64_t n) {
    bytes_ += n;
    maybe_emit();
}

void IndexMeter::package_read() {
    ++packages_;
    maybe_emit();
}

IndexProgress IndexMeter::snapshot() const {
    return {packages_.load(), in_flight_.load(), requests_.load(), bytes_.load(), false};
}

void IndexMeter::maybe_emit() {
    if (!sink_)
        return;
    const auto now = std::chrono::steady_clock::now();
    std::unique_lock lock(emit_mutex_, std::try_to_lock);
    if (!lock.owns_lock() || now - last_ < interval_)
        return;  // someone is emitting, or it is too soon
    last_ = now;
    sink_(snapshot());
}

void IndexMeter::emit_idle() {
    // Not rate-limited: whoever shows a live line learns at once that
    // nothing is under way, so it can take the line away.
    if (!sink_)
        return;
    const std::lock_guard lock(emit_mutex_);
    last_ = std::chrono::steady_clock::now();
    sink_(snapshot());
}

void IndexMeter::flush() {
    if (!sink_)
        return;
    const std::lock_guard lock(emit_mutex_);
    auto progress = snapshot();
    progress.final = true;
    sink_(progress);
}

}  // namespace omni
