#include "omni/index/downloader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <deque>
#include <memory>

#include <fmt/format.h>

#include "index/curl_handles.hpp"
#include "omni/index/url.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"
#include "omni/util/log.hpp"

namespace omni {

namespace {

using namespace index_detail;
using Clock = std::chrono::steady_clock;

Error integrity_error(const std::string& url, const std::string& expected, const std::string& got) {
    return Error(ErrorCode::integrity,
                 fmt::format("hash mismatch for {}: expected sha256 {}, got {}", redact_url(url),
                             expected, got),
                 "the index or a proxy served different bytes; nothing was kept");
}

// One download through its attempts.
struct Transfer {
    const DownloadRequest* request = nullptr;
    DownloadOutcome* outcome = nullptr;
    std::filesystem::path temp;
    int fd = -1;
    Sha256 hasher;
    std::uint64_t written = 0;
    std::uint64_t resume_from = 0;
    std::uint64_t total = 0;  // from Content-Length, 0 when unknown
    bool status_checked = false;
    bool discarding = false;
    int io_error = 0;
    ResponseHeaders headers;
    EasyHandle easy;
    HeaderList header_list;
    Clock::time_point not_before{};

    ~Transfer() {
        if (fd >= 0)
            ::close(fd);
    }
    void restart_file() {
        if (::ftruncate(fd, 0) != 0 || ::lseek(fd, 0, SEEK_SET) != 0)
            io_error = errno;
        hasher = Sha256();
        written = 0;
    }
    void discard_temp() {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
        std::error_code ec;
        std::filesystem::remove(temp, ec);
    }
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const size_t n = size * count;
    if (!t->status_checked) {
        t->status_checked = true;
        long status = 0;
        curl_easy_getinfo(t->easy.get(), CURLINFO_RESPONSE_CODE, &status);
        t->discarding = status >= 300;
        if (!t->discarding && status == 200 && t->resume_from > 0)
            t->restart_file();
        curl_off_t length = -1;
        t->total = 0;
        if (!t->discarding &&
            curl_easy_getinfo(t->easy.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) ==
                CURLE_OK &&
            length >= 0)
            t->total = static_cast<std::uint64_t>(length) + (status == 206 ? t->written : 0);
    }
    if (t->discarding)
        return n;
    std::size_t done = 0;
    while (done < n) {
        const auto w = ::write(t->fd, data + done, n - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            t->io_error = errno;
            return 0;  // makes curl fail with CURLE_WRITE_ERROR
        }
        done += static_cast<std::size_t>(w);
    }
    t->hasher.update(std::string_view(data, n));
    t->written += n;
    if (t->request->progress)
        t->request->progress(t->written, t->total);
    return n;
}

void finish(Transfer& t) {
    if (::fsync(t.fd) != 0)
        t.io_error = errno;
    ::close(t.fd);
    t.fd = -1;
    const auto digest = t.hasher.hex_digest();
    t.outcome->sha256 = digest;
    t.outcome->bytes = t.written;
    if (t.request->sha256 && *t.request->sha256 != digest) {
        t.outcome->error = integrity_error(t.request->url, *t.request->sha256, digest);
        t.discard_temp();
        return;
    }
    std::error_code ec;
    std::filesystem::rename(t.temp, t.request->dest, ec);
    if (ec) {
        t.outcome->error =
            Error(ErrorCode::io,
                  fmt::format("cannot move {} into place at {}: {}", redact_url(t.request->url),
                              t.request->dest.string(), ec.message()));
        t.discard_temp();
    }
}

DownloadOutcome copy_local(const DownloadRequest& request) {
    DownloadOutcome outcome;
    outcome.attempts = 1;
    const auto source = is_file_url(request.url) ? file_url_to_path(request.url)
                                                 : std::filesystem::path(request.url);
    try {
        std::string data = fs::read_file(source);
        outcome.sha256 = sha256_hex(data);
        outcome.bytes = data.size();
        if (request.sha256 && *request.sha256 != outcome.sha256) {
            outcome.error = integrity_error(request.url, *request.sha256, outcome.sha256);
            return outcome;
        }
        std::filesystem::create_directories(request.dest.parent_path());
        fs::atomic_write(request.dest, data);
        if (request.progress)
            request.progress(outcome.bytes, outcome.bytes);
    } catch (const Error& e) {
        outcome.error = Error(std::filesystem::exists(source) ? e.code() : ErrorCode::not_found,
                              fmt::format("cannot copy {}: {}", request.url, e.what()));
    }
    return outcome;
}

}  // namespace

Downloader::Downloader(TransportOptions options) : options_(std::move(options)) {}

DownloadOutcome Downloader::fetch(const DownloadRequest& request) const {
    auto outcome = std::move(fetch_all({request}).front());
    if (outcome.error)
        throw *outcome.error;
    return outcome;
}

std::vector<DownloadOutcome> Downloader::fetch_all(
    const std::vector<DownloadRequest>& requests) const {
    std::vector<DownloadOutcome> outcomes(requests.size());
    std::vector<std::unique_ptr<Transfer>> transfers;
    std::deque<Transfer*> queue;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const auto& request = requests[i];
        if (is_file_url(request.url) || is_plain_path(request.url)) {
            outcomes[i] = copy_local(request);
            continue;
        }
        auto t = std::make_unique<Transfer>();
        t->request = &request;
        t->outcome = &outcomes[i];
        std::error_code ec;
        std::filesystem::create_directories(request.dest.parent_path(), ec);
        t->temp = request.dest.parent_path() /
                  ("." + request.dest.filename().string() + ".part-" + fs::unique_suffix());
        t->fd = ::open(t->temp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (t->fd < 0) {
            outcomes[i].error =
                Error(ErrorCode::io,
                      fmt::format("cannot create {}: {}", t->temp.string(), std::strerror(errno)));
            continue;
        }
        queue.push_back(t.get());
        transfers.push_back(std::move(t));
    }
    if (queue.empty())
        return outcomes;

    auto multi = make_multi();
    std::size_t active = 0;
    const auto start = [&](Transfer& t) {
        t.easy = make_easy();
        t.header_list = HeaderList();
        t.status_checked = false;
        t.discarding = false;
        t.headers.reset();
        configure_easy(t.easy.get(), t.request->url, options_);
        curl_easy_setopt(t.easy.get(), CURLOPT_ACCEPT_ENCODING, nullptr);  // bytes as stored
        curl_easy_setopt(t.easy.get(), CURLOPT_WRITEFUNCTION, write_body);
        curl_easy_setopt(t.easy.get(), CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(t.easy.get(), CURLOPT_HEADERFUNCTION, header_callback);
        curl_easy_setopt(t.easy.get(), CURLOPT_HEADERDATA, &t.headers);
        curl_easy_setopt(t.easy.get(), CURLOPT_PRIVATE, &t);
        if (t.resume_from > 0)
            curl_easy_setopt(t.easy.get(), CURLOPT_RESUME_FROM_LARGE,
                             static_cast<curl_off_t>(t.resume_from));
        ++t.outcome->attempts;
        curl_multi_add_handle(multi.get(), t.easy.get());
        ++active;
    };
    const auto fail = [&](Transfer& t, Error error) {
        t.outcome->error = std::move(error);
        t.discard_temp();
    };
    const auto retry_or_fail = [&](Transfer& t, const std::string& problem, bool resumable) {
        if (t.outcome->attempts >= options_.max_attempts) {
            fail(t, Error(ErrorCode::network,
                          fmt::format("cannot download {} after {} attempts: {}",
                                      redact_url(t.request->url), t.outcome->attempts, problem),
                          "check the network, or use --offline to work from the cache"));
            return;
        }
        if (resumable && t.written > 0) {
            t.resume_from = t.written;
        } else {
            t.resume_from = 0;
            t.restart_file();
        }
        auto delay = options_.backoff * (1 << std::min(t.outcome->attempts - 1, 16));
        delay = std::min(delay, options_.max_backoff);
        logger().debug("{}: {}; attempt {} in {} ms{}", redact_url(t.request->url), problem,
                       t.outcome->attempts + 1, delay.count(),
                       t.resume_from > 0 ? fmt::format(" from byte {}", t.resume_from) : "");
        t.not_before = Clock::now() + delay;
        queue.push_back(&t);
    };

    while (active > 0 || !queue.empty()) {
        const auto now = Clock::now();
        for (std::size_t n = queue.size(); n > 0 && active < options_.max_in_flight; --n) {
            Transfer* t = queue.front();
            queue.pop_front();
            if (t->not_before <= now)
                start(*t);
            else
                queue.push_back(t);
        }
        int running = 0;
        curl_multi_perform(multi.get(), &running);
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi.get(), &left)) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            Transfer* t = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
            const CURLcode code = msg->data.result;
            long status = 0;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            curl_multi_remove_handle(multi.get(), msg->easy_handle);
            --active;
            if (t->io_error != 0) {
                fail(*t, Error(ErrorCode::io, fmt::format("cannot write {}: {}", t->temp.string(),
                                                          std::strerror(t->io_error))));
            } else if (code == CURLE_OK && (status == 200 || status == 206)) {
                finish(*t);
            } else if (code == CURLE_OK && (status == 404 || status == 410)) {
                fail(*t,
                     Error(ErrorCode::not_found,
                           fmt::format("{} answered HTTP {}", redact_url(t->request->url), status),
                           "the index lists a file it does not serve"));
            } else if (code == CURLE_OK && retryable_status(status)) {
                retry_or_fail(*t, fmt::format("HTTP {}", status), false);
            } else if (code == CURLE_OK) {
                fail(*t,
                     Error(ErrorCode::network, fmt::format("cannot download {}: HTTP {}",
                                                           redact_url(t->request->url), status)));
            } else if (retryable(code)) {
                retry_or_fail(*t,
                              code == CURLE_OPERATION_TIMEDOUT
                                  ? fmt::format("{} ({})", curl_easy_strerror(code),
                                                options_.describe_bounds())
                                  : std::string(curl_easy_strerror(code)),
                              t->headers.accepts_ranges);
            } else {
                fail(*t, Error(ErrorCode::network,
                               fmt::format("cannot download {}: {}", redact_url(t->request->url),
                                           curl_easy_strerror(code)),
                               code == CURLE_UNSUPPORTED_PROTOCOL
                                   ? "omni follows http and https only (redirects included)"
                                   : ""));
            }
            t->easy.reset();
        }
        if (active > 0 || !queue.empty())
            curl_multi_poll(multi.get(), nullptr, 0, 50, nullptr);
    }
    return outcomes;
}

}  // namespace omni
