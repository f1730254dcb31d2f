#include "index/zip_member.hpp"

#include <zlib.h>

#include <fmt/format.h>

namespace omni::index_detail {

namespace {

std::uint32_t u16(std::string_view d, std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(d[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(d[at + 1])) << 8;
}
std::uint32_t u32(std::string_view d, std::size_t at) {
    return u16(d, at) | u16(d, at + 2) << 16;
}

Error bad_zip(std::string_view label, std::string_view reason) {
    return Error(ErrorCode::integrity, fmt::format("malformed wheel {}: {}", label, reason),
                 "the file is not a valid zip archive");
}

std::string inflate_raw(std::string_view data, std::uint64_t expected, std::string_view label) {
    std::string out(expected, '\0');
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        throw bad_zip(label, "zlib failed to start");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);
    const auto produced = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END || produced != expected)
        throw bad_zip(label, "a compressed member does not inflate to its recorded size");
    return out;
}

}  // namespace

bool is_wheel_metadata_name(std::string_view name) {
    const auto slash = name.find('/');
    return slash != std::string_view::npos && name.substr(slash) == "/METADATA" &&
           name.substr(0, slash).ends_with(".dist-info");
}

std::string read_zip_member(const ZipTail& tail, const RangeReader& read,
                            const std::function<bool(std::string_view)>& wanted,
                            std::string_view label, std::uint64_t max_member_bytes) {
    const std::string_view t = tail.bytes;
    const std::uint64_t tail_start = tail.archive_size - t.size();
    if (t.size() < 22)
        throw bad_zip(label, "too short for a zip archive");
    std::size_t eocd = std::string_view::npos;
    for (std::size_t i = t.size() - 22 + 1; i-- > 0;) {
        if (u32(t, i) == 0x06054b50u) {
            eocd = i;
            break;
        }
    }
    if (eocd == std::string_view::npos)
        throw bad_zip(label, "no end of central directory");
    const std::uint64_t cd_size = u32(t, eocd + 12);
    const std::uint64_t cd_offset = u32(t, eocd + 16);
    if (cd_size == 0xFFFFFFFFu || cd_offset == 0xFFFFFFFFu)
        throw bad_zip(label, "zip64 archives are read whole");
    if (cd_offset + cd_size > tail_start + eocd)
        throw bad_zip(label, "central directory out of range");
    if (cd_size > max_directory_bytes)
        throw bad_zip(label, fmt::format("its central directory declares {} bytes, more than {}",
                                         cd_size, max_directory_bytes));
    std::string cd_storage;
    std::string_view cd;
    if (cd_offset >= tail_start) {
        cd = t.substr(static_cast<std::size_t>(cd_offset - tail_start),
                      static_cast<std::size_t>(cd_size));
    } else {
        cd_storage = read(cd_offset, cd_size);
        cd = cd_storage;
    }
    if (cd.size() != cd_size)
        throw bad_zip(label, "short read of the central directory");
    for (std::size_t p = 0; p + 46 <= cd.size();) {
        if (u32(cd, p) != 0x02014b50u)
            throw bad_zip(label, "bad central directory entry");
        const auto method = u16(cd, p + 10);
        const std::uint64_t compressed = u32(cd, p + 20);
        const std::uint64_t size = u32(cd, p + 24);
        const auto name_len = u16(cd, p + 28);
        const auto extra_len = u16(cd, p + 30);
        const auto comment_len = u16(cd, p + 32);
        const std::uint64_t local = u32(cd, p + 42);
        if (p + 46 + name_len > cd.size())
            throw bad_zip(label, "truncated central directory");
        const auto name = cd.substr(p + 46, name_len);
        p += 46 + name_len + extra_len + comment_len;
        if (!wanted(name))
            continue;
        if (method != 0 && method != 8)
            throw bad_zip(label, fmt::format("{} uses compression method {}", name, method));
        // Declared sizes are claims: checked before they size a buffer or a read.
        if (size > max_member_bytes)
            throw Error(ErrorCode::integrity,
                        fmt::format("{} in {} declares {} bytes, more than the {} omni accepts "
                                    "(index.max-metadata-size)",
                                    name, label, size, max_member_bytes),
                        "the wheel is damaged or hostile");
        if (compressed > tail.archive_size || local + compressed > tail.archive_size ||
            (method == 0 && compressed != size))
            throw bad_zip(label,
                          fmt::format("{} declares sizes that do not fit the archive", name));
        // One read for the local header, its name and extra (guessed) and the data.
        const std::uint64_t guess = 30 + name_len + 256 + compressed;
        const std::string block = read(local, guess);
        if (block.size() < 30 || u32(block, 0) != 0x04034b50u)
            throw bad_zip(label, "bad local header");
        const std::uint64_t data_at = 30 + u16(block, 26) + u16(block, 28);
        std::string_view data;
        std::string more;
        if (data_at + compressed <= block.size()) {
            data = std::string_view(block).substr(static_cast<std::size_t>(data_at),
                                                  static_cast<std::size_t>(compressed));
        } else {
            more = read(local + data_at, compressed);
            data = more;
        }
        if (data.size() != compressed)
            throw bad_zip(label, "short read of a member");
        return method == 0 ? std::string(data) : inflate_raw(data, size, label);
    }
    throw Error(ErrorCode::not_found, fmt::format("{} has no .dist-info/METADATA", label));
}

}  // namespace omni::index_detail
