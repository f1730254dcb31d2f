#include "index/curl_handles.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <set>

#include "omni/index/url.hpp"
#include "omni/util/error.hpp"
#include "omni/util/log.hpp"

namespace omni::index_detail {

void ensure_curl_initialized() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            throw Error(ErrorCode::internal, "libcurl failed to initialise");
    });
}

EasyHandle make_easy() {
    ensure_curl_initialized();
    EasyHandle h(curl_easy_init());
    if (!h)
        throw Error(ErrorCode::internal, "libcurl could not create a handle");
    return h;
}

MultiHandle make_multi() {
    ensure_curl_initialized();
    MultiHandle h(curl_multi_init());
    if (!h)
        throw Error(ErrorCode::internal, "libcurl could not create a multi handle");
    return h;
}

namespace {
void warn_plain_http(std::string_view url) {
    if (!url.starts_with("http://"))
        return;
    const auto host = url_host(url);
    if (is_loopback_host(host))
        return;
    static std::mutex mutex;
    static std::set<std::string> warned;
    const std::lock_guard lock(mutex);
    if (warned.insert(host).second)
        logger().warn("fetching from {} over plain http: the transfer is not encrypted", host);
}
}  // namespace

void configure_easy(CURL* easy, std::string_view url, const TransportOptions& options) {
    warn_plain_http(url);
    const std::string u(url);
    curl_easy_setopt(easy, CURLOPT_URL, u.c_str());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 10L);
    // Remote transfers and their redirects speak http and https only: a page
    // cannot make omni talk gopher:// to a local port or read file://.
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, options.low_speed_bytes);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(options.low_speed_time.count()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(std::chrono::milliseconds(options.total_timeout).count()));
    curl_easy_setopt(easy, CURLOPT_USERAGENT, options.user_agent.c_str());
    // Credentials go to their own host only; curl drops them on a redirect
    // elsewhere (CURLOPT_UNRESTRICTED_AUTH stays off).
    const auto authority = url_authority(url);
    const auto credential = std::find_if(
        options.credentials.begin(), options.credentials.end(), [&](const HostCredential& c) {
            return c.authority == authority || c.authority == url_host(url);
        });
    if (credential != options.credentials.end()) {
        curl_easy_setopt(easy, CURLOPT_USERNAME, credential->user.c_str());
        curl_easy_setopt(easy, CURLOPT_PASSWORD, credential->password.c_str());
    } else if (!options.netrc_file.empty()) {
        curl_easy_setopt(easy, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_OPTIONAL));
        curl_easy_setopt(easy, CURLOPT_NETRC_FILE, options.netrc_file.c_str());
    }
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // gzip etc. for pages
    if (!options.proxy.empty())
        curl_easy_setopt(easy, CURLOPT_PROXY, options.proxy.c_str());
    if (!options.ca_cert.empty())
        curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_cert.c_str());
    if (!options.ca_path.empty())
        curl_easy_setopt(easy, CURLOPT_CAPATH, options.ca_path.c_str());
}

size_t header_callback(char* data, size_t size, size_t count, void* user) {
    auto* headers = static_cast<ResponseHeaders*>(user);
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {  // a new response (after a redirect or 100)
        headers->reset();
        return size * count;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos)
        return size * count;
    std::string name(line.substr(0, colon));
    for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
        value.remove_suffix(1);
    if (name == "etag")
        headers->etag = value;
    else if (name == "last-modified")
        headers->last_modified = value;
    else if (name == "content-type")
        headers->content_type = value;
    else if (name == "content-range")
        headers->content_range = value;
    else if (name == "accept-ranges")
        headers->accepts_ranges = value.find("bytes") != value.npos;
    return size * count;
}

bool retryable(CURLcode code) {
    switch (code) {
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_PARTIAL_FILE:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_SSL_CONNECT_ERROR:
            return true;
        default:
            return false;
    }
}

bool retryable_status(long status) {
    return status >= 500 || status == 408 || status == 429;
}

}  // namespace omni::index_detail
