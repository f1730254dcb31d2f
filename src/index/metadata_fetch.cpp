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

std::string metadata_of_local_wheel(const std::filesystem::path& wheel, std::string_view label) {
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
    return read_zip_member(tail, read, is_wheel_metadata_name, label);
}

}  // namespace

std::string IndexClient::fetch_metadata(const DistFile& file) const {
    const auto sha = file.sha256();
    const auto cached =
        sha ? home_.cache_dir() / "metadata" / (*sha + ".METADATA") : std::filesystem::path();
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
        text = metadata_of_local_wheel(*local, file.url);
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
        fs::atomic_write(cached, text);
    }
    return text;
}

std::string IndexClient::metadata_from_file(const DistFile& file) const {
    HttpRequest request;
    request.url = file.metadata_url();
    const auto response = pages_.client().get(request);
    if (response.status == 404) {
        logger().debug("{} is announced but missing; reading the wheel", request.url);
        return metadata_by_range(file);
    }
    if (response.status != 200)
        throw Error(ErrorCode::network,
                    fmt::format("{} answered HTTP {}", request.url, response.status));
    if (const auto it = file.metadata_hashes.find("sha256"); it != file.metadata_hashes.end()) {
        const auto got = sha256_hex(response.body);
        if (got != it->second)
            throw Error(ErrorCode::integrity,
                        fmt::format("hash mismatch for {}: expected sha256 {}, got {}", request.url,
                                    it->second, got));
    }
    return response.body;
}

std::string IndexClient::metadata_by_range(const DistFile& file) const {
    const auto& client = pages_.client();
    HttpRequest first;
    first.url = file.url;
    first.suffix_length = zip_tail_guess;
    auto response = client.get(first);
    if (response.status == 200) {
        // No range support: the whole wheel came; check it and read it.
        if (const auto sha = file.sha256(); sha && sha256_hex(response.body) != *sha)
            throw Error(ErrorCode::integrity,
                        fmt::format("hash mismatch for {}: expected sha256 {}", file.url, *sha));
        const auto size = static_cast<std::uint64_t>(response.body.size());
        const std::string whole = std::move(response.body);
        const RangeReader read = [&](std::uint64_t offset, std::uint64_t length) {
            if (offset >= size)
                return std::string();
            return whole.substr(static_cast<std::size_t>(offset), static_cast<std::size_t>(length));
        };
        return read_zip_member(ZipTail{size, whole}, read, is_wheel_metadata_name, file.url);
    }
    const auto total = response.total_size();
    if (response.status != 206 || !total)
        throw Error(ErrorCode::network, fmt::format("{} answered HTTP {} to a range request",
                                                    file.url, response.status));
    const RangeReader read = [&](std::uint64_t offset, std::uint64_t length) {
        if (length == 0 || offset >= *total)
            return std::string();
        HttpRequest request;
        request.url = file.url;
        request.range_first = offset;
        request.range_last = std::min(offset + length, *total) - 1;
        auto part = client.get(request);
        if (part.status != 206)
            throw Error(ErrorCode::network, fmt::format("{} answered HTTP {} to a range request",
                                                        file.url, part.status));
        return std::move(part.body);
    };
    return read_zip_member(ZipTail{*total, std::move(response.body)}, read, is_wheel_metadata_name,
                           file.url);
}

}  // namespace omni
