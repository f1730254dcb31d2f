#pragma once
// Many downloads at once (libcurl multi), each streamed through SHA-256 into
// a temp file beside its destination and renamed into place only when the
// hash matches. Connection errors, timeouts and 5xx are retried with
// exponential backoff, resuming with Range when the server allows it.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "omni/index/transport.hpp"
#include "omni/util/error.hpp"

namespace omni {

struct DownloadRequest {
    std::string url;  // http(s)://, file:// or a plain path
    std::filesystem::path dest;
    std::optional<std::string> sha256;  // lower-case hex; checked when given
    // Called on the fetching thread as the body arrives: the bytes written so
    // far and the whole size from the response's Content-Length (plus the
    // bytes a resumed transfer already had), 0 when the server sends none.
    // A local copy reports once, at the end.
    std::function<void(std::uint64_t received, std::uint64_t total)> progress;
};

struct DownloadOutcome {
    std::optional<Error> error;  // network / integrity / not_found, naming the URL
    std::string sha256;          // of what was written
    std::uint64_t bytes = 0;
    int attempts = 0;
    bool ok() const { return !error.has_value(); }
};

class Downloader {
  public:
    explicit Downloader(TransportOptions options = {});

    // One outcome per request, in order. Nothing is left at a request's dest
    // (nor any temp file) when it failed.
    std::vector<DownloadOutcome> fetch_all(const std::vector<DownloadRequest>& requests) const;
    // One download; throws its Error on failure.
    DownloadOutcome fetch(const DownloadRequest& request) const;

    const TransportOptions& options() const { return options_; }

  private:
    TransportOptions options_;
};

}  // namespace omni
