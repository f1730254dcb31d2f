// IndexClient::fetch_metadata: PEP 658 files, Range reads, or the whole wheel.
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "index/zip_member.hpp"
#include "omni/index/index_client.hpp"
#include "omni/index/url.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"
#include "omni/util/log.hpp"

namespace omni {

namespace {

using namespace index_detail;

std::string metadata_of_local_wheel(const std::filesystem::path& wheel, std::string_view label,
                                    std::uint64_t cap) {
    const int fd = ::open(wheel.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw_errno("open", wheel.string(), errno);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    const auto size = static_cast<std::uint64_t>(std::filesystem::file_size(wheel));
    const RangeReader read = [&](std::uint64_t offset, std::uint64_t length) {
        std::string out(static_cast<std::size_t>(std::min(length, size - std::min(offset, size))),
                        '\0');
        std::size_t done = 0;
        while (done < out.size()) {
            const auto n = ::pread(fd, out.data() + done, out.size() - done,
                                   static_cast<off_t>(offset + done));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            done += static_cast<std::size_t>(n);
        }
        out.resize(done);
        return out;
    };
    const auto tail_len = std::min(size, zip_tail_guess);
    const ZipTail tail{size, read(size - tail_len, tail_len)};
    return read_zip_member(tail, read, is_wheel_metadata_name, label, cap);
}

// More than this of a wheel (a server that ignores Range) goes to disk.
constexpr std::uint64_t in_memory_wheel_limit = 4u << 20;

}  // namespace

std::string IndexClient::fetch_metadata(const DistFile& file) const {
    const auto sha = file.sha256();
    if (sha && !is_sha256_hex(*sha))
        throw Error(ErrorCode::integrity,
                    fmt::format("{} was listed with a malformed sha256", redact_url(file.url)),
                    "the index page is damaged or hostile");
    // Keyed by where the file was listed and its hash: an index can only
    // ever answer for its own files, never poison another's.
    const auto cached =
        sha ? home_.cache_dir() / "metadata" /
                  (sha256_hex((file.origin.empty() ? file.url : file.origin) + "\n" + *sha) +
                   ".METADATA")
            : std::filesystem::path();
    std::error_code ec;
    if (sha && std::filesystem::exists(cached, ec))
        return fs::read_file(cached);

    std::string text;
    std::optional<std::filesystem::path> local;
    if (sha)
        local = wheels_.find(*sha, file.filename);
    if (!local && (is_file_url(file.url) || is_plain_path(file.url)))
        local =
            is_file_url(file.url) ? file_url_to_path(file.url) : std::filesystem::path(file.url);
    if (local) {
        text = metadata_of_local_wheel(*local, redact_url(file.url),
                                       options_.transport.max_metadata_bytes);
    } else if (options_.offline) {
        throw Error(ErrorCode::not_found,
                    fmt::format("offline: the metadata of {} is not in the cache", file.filename),
                    "run once without --offline to fetch it");
    } else if (!file.is_wheel()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{} is not a wheel; its metadata needs a build", file.filename));
    } else if (file.has_metadata_file) {
        text = metadata_from_file(file);
    } else {
        text = metadata_by_range(file);
    }
    if (sha) {
        std::filesystem::create_directories(cached.parent_path());
        fs::atomic_write(cached, text, 0600);
    }
    return text;
}

std::string IndexClient::metadata_from_file(const DistFile& file) const {
    HttpRequest request;
    request.url = file.metadata_url();
    request.max_body = options_.transport.max_metadata_bytes;
    const auto response = pages_.client().get(request);
    if (response.status == 404) {
        logger().debug("{} is announced but missing; reading the wheel", request.url);
        return metadata_by_range(file);
    }
    if (response.status != 200)
        throw Error(ErrorCode::network,
                    fmt::format("{} answered HTTP {}", redact_url(request.url), response.status));
    if (const auto it = file.metadata_hashes.find("sha256"); it != file.metadata_hashes.end()) {
        const auto got = sha256_hex(response.body);
        if (got != it->second)
            throw Error(ErrorCode::integrity,
                        fmt::format("hash mismatch for {}: expected sha256 {}, got {}",
                                    redact_url(request.url), it->second, got));
    }
    return response.body;
}

std::string IndexClient::metadata_by_range(const DistFile& file) const {
    const auto& client = pages_.client();
    const auto label = redact_url(file.url);
    const auto cap = options_.transport.max_metadata_bytes;
    HttpRequest first;
    first.url = file.url;
    first.suffix_length = zip_tail_guess;
    // A server that ignores Range sends the whole wheel: a small one is read
    // in memory, a larger one is downloaded into the cache (streamed to disk,
    // its hash checked) and read from there.
    first.max_body = in_memory_wheel_limit;
    first.over_cap_ok = true;
    auto response = client.get(first);
    if (response.over_cap) {
        logger().debug("{} ignores Range; downloading the wheel for its METADATA", label);
        return metadata_of_local_wheel(wheels_.fetch(file), label, cap);
    }
    if (response.status == 200) {
        // No range support: the whole wheel came; check it and read it.
        if (const auto sha = file.sha256(); sha && sha256_hex(response.body) != *sha)
            throw Error(ErrorCode::integrity,
                        fmt::format("hash mismatch for {}: expected sha256 {}", label, *sha));
        const auto size = static_cast<std::uint64_t>(response.body.size());
        const std::string whole = std::move(response.body);
        const RangeReader read = [&](std::uint64_t offset, std::uint64_t length) {
            if (offset >= size)
                return std::string();
            return whole.substr(static_cast<std::size_t>(offset), static_cast<std::size_t>(length));
        };
        return read_zip_member(ZipTail{size, whole}, read, is_wheel_metadata_name, label, cap);
    }
    const auto total = response.total_size();
    if (response.status != 206 || !total)
        throw Error(ErrorCode::network,
                    fmt::format("{} answered HTTP {} to a range request", label, response.status));
    const RangeReader read = [&](std::uint64_t offset, std::uint64_t length) {
        if (length == 0 || offset >= *total)
            return std::string();
        HttpRequest request;
        request.url = file.url;
        request.range_first = offset;
        request.range_last = std::min(offset + length, *total) - 1;
        request.max_body = *request.range_last - offset + 1;
        auto part = client.get(request);
        if (part.status != 206)
            throw Error(ErrorCode::network,
                        fmt::format("{} answered HTTP {} to a range request", label, part.status));
        return std::move(part.body);
    };
    return read_zip_member(ZipTail{*total, std::move(response.body)}, read, is_wheel_metadata_name,
                           label, cap);
}

}  // namespace omni
