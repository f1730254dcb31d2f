#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omni/home/home.hpp"
#include "omni/index/cache.hpp"
#include "omni/index/url.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"
#include "omni/util/log.hpp"

namespace omni {

namespace {

// One file: a JSON header line, then the body.
struct Entry {
    std::string url;
    std::string etag;
    std::string last_modified;
    std::string content_type;
    std::string body;
};

std::optional<Entry> read_entry(const std::filesystem::path& path) {
    std::string data;
    try {
        if (!std::filesystem::exists(path))
            return std::nullopt;
        data = fs::read_file(path);
    } catch (const Error&) {
        return std::nullopt;
    }
    const auto newline = data.find('\n');
    if (newline == std::string::npos)
        return std::nullopt;
    try {
        const auto header = nlohmann::json::parse(data.substr(0, newline));
        Entry entry{header.at("url").get<std::string>(), header.at("etag").get<std::string>(),
                    header.at("last_modified").get<std::string>(),
                    header.at("content_type").get<std::string>(), data.substr(newline + 1)};
        if (header.at("size").get<std::size_t>() != entry.body.size() ||
            header.at("sha256").get<std::string>() != sha256_hex(entry.body)) {
            logger().warn("ignoring damaged cache entry {}", path.string());
            return std::nullopt;
        }
        return entry;
    } catch (const nlohmann::json::exception&) {
        logger().warn("ignoring damaged cache entry {}", path.string());
        return std::nullopt;
    }
}

void write_entry(const std::filesystem::path& path, const Entry& entry) {
    const nlohmann::json header = {{"url", redact_url(entry.url)},
                                   {"etag", entry.etag},
                                   {"last_modified", entry.last_modified},
                                   {"content_type", entry.content_type},
                                   {"size", entry.body.size()},
                                   {"sha256", sha256_hex(entry.body)}};
    std::filesystem::create_directories(path.parent_path());
    fs::atomic_write(path, header.dump() + "\n" + entry.body, 0600);  // responses stay private
}

CachedResponse from_entry(const Entry& entry, bool revalidated) {
    return CachedResponse{200, entry.body, entry.content_type, entry.url, true, revalidated};
}

}  // namespace

HttpCache::HttpCache(Home home, HttpClient client, bool offline)
    : home_(std::move(home)), client_(std::move(client)), offline_(offline) {}

std::filesystem::path HttpCache::entry_path(const std::string& url,
                                            const std::string& accept) const {
    return home_.cache_dir() / "http" / sha256_hex(url + "\n" + accept);
}

CachedResponse HttpCache::get(const std::string& url, const std::string& accept) const {
    if (is_file_url(url) || is_plain_path(url)) {  // local files need no cache
        HttpRequest request;
        request.url = url;
        const auto r = client_.get(request);
        return CachedResponse{r.status, r.body, r.content_type, r.effective_url, false, false};
    }
    const auto path = entry_path(url, accept);
    auto cached = read_entry(path);
    if (offline_) {
        if (cached)
            return from_entry(*cached, false);
        throw Error(ErrorCode::not_found,
                    fmt::format("offline: no cached copy of {}", redact_url(url)),
                    "run once without --offline to fill the cache");
    }
    // Single-flight per URL: concurrent callers wait and then revalidate the
    // fresh entry instead of each fetching the whole page.
    std::filesystem::create_directories(home_.locks_dir());
    const auto lock = FileLock::acquire(
        home_.lock_file("http-" + path.filename().string().substr(0, 32)), LockMode::exclusive);
    cached = read_entry(path);

    HttpRequest request;
    request.url = url;
    request.accept = accept;
    if (cached) {
        request.if_none_match = cached->etag;
        if (cached->etag.empty())
            request.if_modified_since = cached->last_modified;
    }
    const auto response = client_.get(request);
    if (response.status == 304 && cached)
        return from_entry(*cached, true);
    CachedResponse out{response.status,
                       response.body,
                       response.content_type,
                       response.effective_url.empty() ? url : response.effective_url,
                       false,
                       false};
    if (response.status == 200) {
        write_entry(path, Entry{out.url, response.etag, response.last_modified,
                                response.content_type, response.body});
    }
    return out;
}

}  // namespace omni
