#include "omni/index/http_client.hpp"

#include <thread>

#include <fmt/format.h>

#include "index/curl_handles.hpp"
#include "omni/index/url.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni {

namespace {

using namespace index_detail;

size_t append_body(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

HttpResponse get_local(const HttpRequest& request) {
    const auto path = is_file_url(request.url) ? file_url_to_path(request.url)
                                               : std::filesystem::path(request.url);
    HttpResponse response;
    response.effective_url = is_file_url(request.url) ? request.url : path_to_file_url(path);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        response.status = 404;
        return response;
    }
    std::string data = fs::read_file(path);
    const auto size = static_cast<std::uint64_t>(data.size());
    response.accepts_ranges = true;
    response.status = 200;
    if (request.range_first || request.suffix_length) {
        std::uint64_t first = 0, last = size == 0 ? 0 : size - 1;
        if (request.suffix_length) {
            first = size > *request.suffix_length ? size - *request.suffix_length : 0;
        } else {
            first = *request.range_first;
            if (request.range_last)
                last = std::min(last, *request.range_last);
        }
        if (first >= size) {
            response.status = 416;
            return response;
        }
        response.status = 206;
        response.content_range = fmt::format("bytes {}-{}/{}", first, last, size);
        data = data.substr(first, last - first + 1);
    }
    response.body = std::move(data);
    return response;
}

}  // namespace

std::optional<std::uint64_t> HttpResponse::total_size() const {
    const auto slash = content_range.rfind('/');
    if (slash == std::string::npos || slash + 1 >= content_range.size())
        return std::nullopt;
    const auto tail = content_range.substr(slash + 1);
    if (tail == "*")
        return std::nullopt;
    try {
        return std::stoull(tail);
    } catch (...) {
        return std::nullopt;
    }
}

HttpClient::HttpClient(TransportOptions options) : options_(std::move(options)) {}

HttpResponse HttpClient::get(const HttpRequest& request) const {
    if (is_file_url(request.url) || is_plain_path(request.url))
        return get_local(request);

    auto delay = options_.backoff;
    std::string last_problem;
    for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
        auto easy = make_easy();
        configure_easy(easy.get(), request.url, options_);
        HeaderList headers;
        if (!request.accept.empty())
            headers.add("Accept: " + request.accept);
        if (!request.if_none_match.empty())
            headers.add("If-None-Match: " + request.if_none_match);
        if (!request.if_modified_since.empty())
            headers.add("If-Modified-Since: " + request.if_modified_since);
        if (request.suffix_length) {
            headers.add(fmt::format("Range: bytes=-{}", *request.suffix_length));
        } else if (request.range_first) {
            headers.add(request.range_last ? fmt::format("Range: bytes={}-{}", *request.range_first,
                                                         *request.range_last)
                                           : fmt::format("Range: bytes={}-", *request.range_first));
        }
        curl_easy_setopt(easy.get(), CURLOPT_HTTPHEADER, headers.get());
        HttpResponse response;
        ResponseHeaders received;
        curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, append_body);
        curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &response.body);
        curl_easy_setopt(easy.get(), CURLOPT_HEADERFUNCTION, header_callback);
        curl_easy_setopt(easy.get(), CURLOPT_HEADERDATA, &received);
        const CURLcode code = curl_easy_perform(easy.get());
        if (code == CURLE_OK) {
            curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &response.status);
            char* effective = nullptr;
            curl_easy_getinfo(easy.get(), CURLINFO_EFFECTIVE_URL, &effective);
            response.effective_url = effective != nullptr ? effective : request.url;
            response.etag = received.etag;
            response.last_modified = received.last_modified;
            response.content_type = received.content_type;
            response.content_range = received.content_range;
            response.accepts_ranges = received.accepts_ranges;
            if (!retryable_status(response.status) || attempt == options_.max_attempts)
                return response;
            last_problem = fmt::format("HTTP {}", response.status);
        } else if (!retryable(code)) {
            throw Error(ErrorCode::network,
                        fmt::format("cannot fetch {}: {}", request.url, curl_easy_strerror(code)),
                        "check the URL and the network (proxy settings: index.proxy)");
        } else {
            last_problem = curl_easy_strerror(code);
        }
        if (attempt < options_.max_attempts) {
            logger().debug("{}: {}; retrying in {} ms", request.url, last_problem, delay.count());
            std::this_thread::sleep_for(delay);
            delay = std::min(delay * 2, options_.max_backoff);
        }
    }
    throw Error(ErrorCode::network,
                fmt::format("cannot fetch {} after {} attempts: {}", request.url,
                            options_.max_attempts, last_problem),
                "check the network, or use --offline to work from the cache");
}

}  // namespace omni
