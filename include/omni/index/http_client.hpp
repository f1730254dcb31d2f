#pragma once
// Single requests for pages and byte ranges, with conditional requests and
// the same retries as the downloader. file:// URLs and plain paths work too.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "omni/index/transport.hpp"

namespace omni {

namespace index_detail {
class TransferLoop;
}

struct HttpRequest {
    std::string url;
    std::string accept;
    std::string if_none_match;      // an ETag from an earlier response
    std::string if_modified_since;  // a Last-Modified from an earlier response
    // Range "bytes=first-last" (last inclusive); with only `suffix_length`,
    // "bytes=-suffix_length".
    std::optional<std::uint64_t> range_first;
    std::optional<std::uint64_t> range_last;
    std::optional<std::uint64_t> suffix_length;
    // At most this many body bytes (0: TransportOptions::max_page_bytes).
    // Over it: Error(network) naming the URL and the cap, unless
    // `over_cap_ok`, which returns the response marked over_cap instead.
    std::uint64_t max_body = 0;
    bool over_cap_ok = false;
};

struct HttpResponse {
    long status = 0;  // 200, 206, 304, 404, ...; file:// gives 200 or 404
    std::string body;
    std::string etag;
    std::string last_modified;
    std::string content_type;
    std::string content_range;  // "bytes 0-9/1234"
    bool accepts_ranges = false;
    std::string effective_url;  // after redirects
    bool over_cap = false;      // stopped at HttpRequest::max_body; body incomplete

    // The total size from Content-Range, when the server sent one.
    std::optional<std::uint64_t> total_size() const;
};

class HttpClient {
  public:
    explicit HttpClient(TransportOptions options = {});

    // Retries connection errors, timeouts and 5xx; returns any final status
    // (4xx included). Throws Error(network) naming the URL when no response
    // came after the last attempt.
    HttpResponse get(const HttpRequest& request) const;

    const TransportOptions& options() const { return options_; }

  private:
    struct Shared;
    TransportOptions options_;
    std::shared_ptr<Shared> shared_;  // the transfer loop, made on first use
};

}  // namespace omni
