#pragma once
// RAII owners of libcurl handles. Private to src/index: curl headers never
// reach include/omni.
#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>

#include "omni/index/transport.hpp"

namespace omni::index_detail {

// curl_global_init once per process, before any handle exists.
void ensure_curl_initialized();

struct EasyDeleter {
    void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};
struct MultiDeleter {
    void operator()(CURLM* h) const noexcept { curl_multi_cleanup(h); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;

class HeaderList {
  public:
    void add(const std::string& line) {
        curl_slist* next = curl_slist_append(list_.get(), line.c_str());
        if (next != nullptr) {
            (void)list_.release();
            list_.reset(next);
        }
    }
    curl_slist* get() const { return list_.get(); }

  private:
    std::unique_ptr<curl_slist, SlistDeleter> list_;
};

EasyHandle make_easy();
MultiHandle make_multi();

// Timeouts, proxy, CA, redirects, user agent; warns once per host about
// plain http to anything but the loopback.
void configure_easy(CURL* easy, std::string_view url, const TransportOptions& options);

// The response headers omni cares about, filled by header_callback.
struct ResponseHeaders {
    std::string etag;
    std::string last_modified;
    std::string content_type;
    std::string content_range;
    bool accepts_ranges = false;
    void reset() { *this = ResponseHeaders{}; }
};
size_t header_callback(char* data, size_t size, size_t count, void* user);

// Whether a failure is worth another attempt.
bool retryable(CURLcode code);
bool retryable_status(long status);

}  // namespace omni::index_detail
