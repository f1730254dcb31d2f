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
    // Not rate-limited when the last one ends: whoever shows a live line
    // learns at once that nothing is under way, and takes the line away.
    if (--in_flight_ == 0)
        emit_now(false);
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

void IndexMeter::emit_now(bool final) {
    if (!sink_)
        return;
    const std::lock_guard lock(emit_mutex_);
    last_ = std::chrono::steady_clock::now();
    auto progress = snapshot();
    progress.final = final;
    sink_(progress);
}

void IndexMeter::flush() {
    emit_now(true);
}

}  // namespace omni
