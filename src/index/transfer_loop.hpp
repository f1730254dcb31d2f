#pragma once
// One libcurl multi handle driven by one thread, shared by every copy of an
// HttpClient: requests from many threads run side by side over reused
// connections (HTTP/2 multiplexed where the server offers it), and each
// caller waits only for its own transfer.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "index/curl_handles.hpp"

namespace omni {
class IndexMeter;
}

namespace omni::index_detail {

struct TransferResult {
    CURLcode code = CURLE_OK;
    long status = 0;
    std::string body;
    ResponseHeaders headers;
    std::string effective_url;
    bool over_cap = false;  // the body passed max_body and the transfer was stopped
};

class TransferLoop {
  public:
    explicit TransferLoop(std::shared_ptr<IndexMeter> meter = {});
    ~TransferLoop();
    TransferLoop(const TransferLoop&) = delete;
    TransferLoop& operator=(const TransferLoop&) = delete;

    // Runs `easy` (configured except for its body, header and private
    // callbacks) to its end; at most `max_body` body bytes (0: no cap).
    TransferResult perform(EasyHandle easy, std::uint64_t max_body);

    struct Job;

  private:
    void run();

    std::shared_ptr<IndexMeter> meter_;
    MultiHandle multi_;
    std::mutex mutex_;
    std::deque<Job*> incoming_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace omni::index_detail
