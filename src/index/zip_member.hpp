#pragma once
// Reads one member of a zip archive through byte-range reads, so a wheel's
// METADATA can be taken from a server that supports Range without fetching
// the whole wheel: end-of-central-directory, central directory, then one
// local header + data, inflated with zlib.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "omni/util/error.hpp"

namespace omni::index_detail {

// Returns `length` bytes at `offset` (fewer only at the end of the archive).
using RangeReader = std::function<std::string(std::uint64_t offset, std::uint64_t length)>;

// The bytes the reader already has of the archive's tail, to save a request.
struct ZipTail {
    std::uint64_t archive_size = 0;
    std::string bytes;  // the last bytes.size() bytes of the archive
};

// The first member whose name satisfies `wanted`. Error(integrity) naming
// `label` when the archive is malformed; Error(not_found) when no member fits.
// Declared sizes are checked before anything is allocated or read: the member
// must fit in `max_member_bytes` and the archive, the central directory in
// max_directory_bytes.
std::string read_zip_member(const ZipTail& tail, const RangeReader& read,
                            const std::function<bool(std::string_view)>& wanted,
                            std::string_view label, std::uint64_t max_member_bytes);

inline constexpr std::uint64_t max_directory_bytes = 32u << 20;

// "<anything>.dist-info/METADATA" at the top level of a wheel.
bool is_wheel_metadata_name(std::string_view name);

// How many tail bytes to ask for first.
inline constexpr std::uint64_t zip_tail_guess = 64 * 1024;

}  // namespace omni::index_detail
