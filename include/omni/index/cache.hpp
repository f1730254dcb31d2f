#pragma once
// The download cache under $OMNI_HOME/cache:
//   cache/wheels/<sha256>/<filename>   content addressed, published by rename
//   cache/http/<key>                   index pages with ETag / Last-Modified
// Entries are checked when read (hash or size) and a bad one is fetched
// again, never served. Fetches of one thing by several threads or processes
// are single-flight: look, lock locks/..., look again, fetch.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "omni/home/home.hpp"
#include "omni/index/downloader.hpp"
#include "omni/index/http_client.hpp"
#include "omni/index/project_page.hpp"

namespace omni {

struct CachedResponse {
    long status = 0;  // 200 when there is a body to use
    std::string body;
    std::string content_type;
    std::string url;           // effective URL (after redirects), for relative links
    bool from_cache = false;   // served from disk (offline or revalidated)
    bool revalidated = false;  // the server answered 304
};

class HttpCache {
  public:
    HttpCache(Home home, HttpClient client, bool offline = false);

    // A GET that stores 200 responses and revalidates them next time with
    // If-None-Match / If-Modified-Since; a 304 reuses the stored body. Offline,
    // only the stored body; Error(not_found) when there is none.
    CachedResponse get(const std::string& url, const std::string& accept) const;

    std::filesystem::path entry_path(const std::string& url, const std::string& accept) const;
    const HttpClient& client() const { return client_; }

  private:
    Home home_;
    HttpClient client_;
    bool offline_;
};

class WheelCache {
  public:
    WheelCache(Home home, Downloader downloader, bool offline = false);

    std::filesystem::path entry_dir(const std::string& sha256) const;
    // The cached file when present and intact; a damaged entry is removed.
    std::optional<std::filesystem::path> find(const std::string& sha256,
                                              const std::string& filename) const;
    // The file in the cache, downloading it when needed. Throws the download's
    // Error (network, integrity, not_found) naming the URL.
    std::filesystem::path fetch(const DistFile& file) const;
    // Many at once, downloads in parallel; the first failure is thrown after
    // every transfer has ended (what succeeded stays cached).
    std::vector<std::filesystem::path> fetch_all(const std::vector<DistFile>& files) const;

    // Files at most this large are re-hashed on every read.
    static constexpr std::uintmax_t rehash_limit = 32u << 20;

  private:
    Home home_;
    Downloader downloader_;
    bool offline_;
};

}  // namespace omni
