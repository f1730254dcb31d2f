#include "omni/index/http_client.hpp"

#include <fstream>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "index/curl_handles.hpp"
#include "index/transfer_loop.hpp"
#include "omni/index/url.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni {

namespace {

using namespace index_detail;

HttpResponse get_local(const HttpRequest& request, std::uint64_t cap) {
    const auto path = is_file_url(request.url) ? file_url_to_path(request.url)
                                               : std::filesystem::path(request.url);
    HttpResponse response;
    response.effective_url = is_file_url(request.url) ? request.url : path_to_file_url(path);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        response.status = 404;
        return response;
    }
    const auto size = static_cast<std::uint64_t>(std::filesystem::file_size(path, ec));
    response.accepts_ranges = true;
    response.status = 200;
    std::uint64_t first = 0, last = size == 0 ? 0 : size - 1;
    if (request.range_first || request.suffix_length) {
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
    }
    const auto length = size == 0 ? 0 : last - first + 1;
    if (cap != 0 && length > cap) {
        if (request.over_cap_ok) {
            response.over_cap = true;
            return response;
        }
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{} is {} bytes, more than the {} omni accepts here", path.string(),
                                length, cap));
    }
    std::ifstream in(path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(first));
    response.body.resize(static_cast<std::size_t>(length));
    in.read(response.body.data(), static_cast<std::streamsize>(length));
    if (!in)
        throw Error(ErrorCode::io, fmt::format("cannot read {}", path.string()));
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

struct HttpClient::Shared {
    std::once_flag once;
    std::unique_ptr<TransferLoop> loop;
};

HttpClient::HttpClient(TransportOptions options)
    : options_(std::move(options)), shared_(std::make_shared<Shared>()) {}

HttpResponse HttpClient::get(const HttpRequest& request) const {
    const auto cap = request.max_body != 0 ? request.max_body : options_.max_page_bytes;
    if (is_file_url(request.url) || is_plain_path(request.url))
        return get_local(request, cap);
    std::call_once(shared_->once,
                   [&] { shared_->loop = std::make_unique<TransferLoop>(options_.meter); });
    const auto shown = redact_url(request.url);

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
        auto result = shared_->loop->perform(std::move(easy), cap);
        if (result.over_cap) {
            if (request.over_cap_ok) {
                HttpResponse response;
                response.status = result.status;
                response.over_cap = true;
                response.effective_url = result.effective_url;
                return response;
            }
            throw Error(
                ErrorCode::network,
                fmt::format("{} sent more than {} bytes, the most omni accepts here", shown, cap),
                "raise index.max-page-size if the page is genuine");
        }
        if (result.code == CURLE_OK) {
            HttpResponse response;
            response.status = result.status;
            response.body = std::move(result.body);
            response.effective_url =
                result.effective_url.empty() ? request.url : result.effective_url;
            response.etag = result.headers.etag;
            response.last_modified = result.headers.last_modified;
            response.content_type = result.headers.content_type;
            response.content_range = result.headers.content_range;
            response.accepts_ranges = result.headers.accepts_ranges;
            if (!retryable_status(response.status) || attempt == options_.max_attempts)
                return response;
            last_problem = fmt::format("HTTP {}", response.status);
        } else if (!retryable(result.code)) {
            throw Error(ErrorCode::network,
                        fmt::format("cannot fetch {}: {}", shown, curl_easy_strerror(result.code)),
                        result.code == CURLE_UNSUPPORTED_PROTOCOL
                            ? "omni follows http and https only (redirects included)"
                            : "check the URL and the network (proxy settings: index.proxy)");
        } else {
            last_problem = curl_easy_strerror(result.code);
            if (result.code == CURLE_OPERATION_TIMEDOUT)
                last_problem += " (" + options_.describe_bounds() + ")";
        }
        if (attempt < options_.max_attempts) {
            logger().debug("{}: {}; retrying in {} ms", shown, last_problem, delay.count());
            std::this_thread::sleep_for(delay);
            delay = std::min(delay * 2, options_.max_backoff);
        }
    }
    throw Error(ErrorCode::network,
                fmt::format("cannot fetch {} after {} attempts: {}", shown, options_.max_attempts,
                            last_problem),
                "check the network, or use --offline to work from the cache");
}

}  // namespace omni
