#pragma once
// PEP 440 versions: an immutable value that parses every spelling the
// `packaging` library accepts, prints the normalized form and orders exactly
// as packaging does (dev < pre < final < post, locals after their public
// version, trailing release zeros ignored).
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "omni/util/error.hpp"

namespace omni::standards {

enum class PreKind : std::uint8_t { alpha, beta, rc };

struct PreRelease {
    PreKind kind;
    std::uint64_t number;
    bool operator==(const PreRelease&) const = default;
};

std::string_view to_string(PreKind kind);  // "a", "b", "rc"

class Version {
  public:
    // Parses any PEP 440 spelling: case-insensitive, optional leading `v`,
    // surrounding whitespace, `-`/`_`/`.` separators, alternative labels.
    static Result<Version> parse(std::string_view text);
    // "0", a placeholder for structs that are filled in later.
    static Version zero();

    // The same, reporting a failure as (position, reason) so that parsers of
    // larger strings (specifiers, requirements) can point into their input.
    struct Failure {
        std::size_t pos;
        std::string_view reason;
    };
    static std::expected<Version, Failure> parse_raw(std::string_view text);

    // Reads the longest version spelling at `pos` (no surrounding whitespace)
    // and advances `pos` past it; the text after it is left to the caller.
    struct ScanOptions {
        bool allow_local = true;        // read a "+local" label
        bool stop_at_wildcard = false;  // stop after the release when ".*" follows
    };
    static std::expected<Version, Failure> scan(std::string_view text, std::size_t& pos,
                                                const ScanOptions& options);

    std::uint64_t epoch() const noexcept { return epoch_; }
    std::span<const std::uint64_t> release() const noexcept;
    std::optional<PreRelease> pre() const noexcept;
    std::optional<std::uint64_t> post() const noexcept;
    std::optional<std::uint64_t> dev() const noexcept;
    // The normalized local label ("ubuntu.1"), empty when there is none.
    std::string_view local() const noexcept { return local_; }
    bool has_local() const noexcept { return !local_.empty(); }

    // Release segment `i` (0-based), 0 past the end: major(), minor(), micro().
    std::uint64_t release_at(std::size_t i) const noexcept;

    bool is_prerelease() const noexcept { return has_pre_ || has_dev_; }
    bool is_devrelease() const noexcept { return has_dev_; }
    bool is_postrelease() const noexcept { return has_post_; }

    // Epoch and release only ("1!2.0" for "1!2.0rc1.post2+x").
    Version base_version() const;
    // Without the local label.
    Version public_version() const;

    // The normalized spelling, as packaging's str(Version).
    std::string to_string() const;
    void append_to(std::string& out) const;

    std::strong_ordering operator<=>(const Version& other) const noexcept;
    bool operator==(const Version& other) const noexcept {
        return (*this <=> other) == std::strong_ordering::equal;
    }

    // Equal versions (1.0 and 1.0.0) hash equal.
    std::size_t hash() const noexcept;

    // Ordering of the public parts only (local labels ignored).
    std::strong_ordering compare_public(const Version& other) const noexcept;
    // Ordering of epoch + release only.
    std::strong_ordering compare_base(const Version& other) const noexcept;

  private:
    static constexpr std::size_t inline_segments = 5;

    Version() = default;
    void push_release(std::uint64_t value);

    std::uint64_t epoch_ = 0;
    std::uint64_t pre_number_ = 0;
    std::uint64_t post_ = 0;
    std::uint64_t dev_ = 0;
    std::uint32_t release_size_ = 0;
    PreKind pre_kind_ = PreKind::alpha;
    bool has_pre_ = false;
    bool has_post_ = false;
    bool has_dev_ = false;
    std::array<std::uint64_t, inline_segments> inline_release_{};
    std::vector<std::uint64_t> heap_release_;  // used only past inline_segments
    std::string local_;
};

// packaging.utils.canonicalize_version: the normalized spelling, with
// trailing ".0" release segments dropped when asked; text that is not a
// version comes back unchanged.
std::string canonicalize_version(std::string_view text, bool strip_trailing_zero = true);

// Orders two normalized local labels as packaging does: segment by segment,
// numbers numerically and above words, words lexically, shorter first.
std::strong_ordering compare_local(std::string_view a, std::string_view b) noexcept;

}  // namespace omni::standards

template <>
struct std::hash<omni::standards::Version> {
    std::size_t operator()(const omni::standards::Version& v) const noexcept { return v.hash(); }
};
