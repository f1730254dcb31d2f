#pragma once
// PEP 440 version specifiers: one clause (`>=1.0`, `==1.4.*`, `~=2.2`) and a
// comma-separated set of them, with packaging's matching rules (local
// versions, exclusive ordered comparisons, pre-release policy).
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "omni/standards/version.hpp"
#include "omni/util/error.hpp"

namespace omni::standards {

enum class SpecOp : std::uint8_t {
    compatible,     // ~=
    equal,          // ==
    not_equal,      // !=
    less_equal,     // <=
    greater_equal,  // >=
    less,           // <
    greater,        // >
    arbitrary,      // ===
};

std::string_view to_string(SpecOp op);

class Specifier {
  public:
    static Result<Specifier> parse(std::string_view text);
    // The same, with the failure as (position, reason) for enclosing parsers.
    static std::expected<Specifier, Version::Failure> parse_raw(std::string_view text);

    SpecOp op() const noexcept { return op_; }
    // The version text as written (stripped), e.g. "1.4.*" or "v1.0".
    const std::string& version_text() const noexcept { return text_; }
    // The parsed version; absent only for `===` with a non-PEP 440 string.
    const std::optional<Version>& version() const noexcept { return version_; }
    bool is_wildcard() const noexcept { return wildcard_; }

    // True when the clause names a pre-release with any operator but !=
    // (packaging 26: `<1.0rc1` and `>0.0.0a1` too), which admits them.
    bool prereleases() const noexcept { return prereleases_; }

    // Does `v` satisfy this clause? `prereleases`: false refuses every
    // pre-release; nullopt and true let a matching one in (packaging 26:
    // a single version has no alternative, so PEP 440's fallback applies).
    bool contains(const Version& v, std::optional<bool> prereleases = std::nullopt) const;

    // "op" + version text, as packaging prints it.
    std::string to_string() const;

    bool operator==(const Specifier& o) const { return op_ == o.op_ && text_ == o.text_; }

  private:
    Specifier() = default;
    bool matches(const Version& v) const;
    bool prefix_matches(const Version& v) const;

    // A prefix to match for `==X.*`, `!=X.*` and the upper half of `~=`:
    // epoch and release, plus optional suffix parts in rare `~=` spellings.
    struct Prefix {
        bool never = false;  // the prefix can never match (packaging quirk)
        Version version = *Version::parse("0");
        bool has_suffix = false;  // pre/post/dev beyond the release
    };

    SpecOp op_ = SpecOp::equal;
    bool wildcard_ = false;
    bool prereleases_ = false;
    std::string text_;
    std::optional<Version> version_;
    std::optional<Prefix> prefix_;
};

class SpecifierSet {
  public:
    // Comma-separated clauses; whitespace and empty items are ignored, so ""
    // is the empty set that matches every final version.
    static Result<SpecifierSet> parse(std::string_view text);

    std::span<const Specifier> specifiers() const noexcept { return specs_; }
    bool empty() const noexcept { return specs_.empty(); }

    // True when a clause names a pre-release, else nullopt: the policy is
    // left to PEP 440's fallback (packaging 26; 24.1 said false).
    std::optional<bool> prereleases() const noexcept;

    bool contains(const Version& v, std::optional<bool> prereleases = std::nullopt) const;

    // The versions that satisfy the set, in input order. With prereleases
    // unset and no clause naming a pre-release, pre-releases are dropped
    // unless nothing else matches, in which case the matching pre-releases
    // are returned (PEP 440's "only pre-releases available" rule).
    std::vector<Version> filter(std::span<const Version> versions,
                                std::optional<bool> prereleases = std::nullopt) const;
    // The same, as indices into `versions`.
    std::vector<std::size_t> filter_indices(std::span<const Version> versions,
                                            std::optional<bool> prereleases = std::nullopt) const;

    // Sorted, comma-joined clauses, as packaging prints a set.
    std::string to_string() const;

    // Adds the clauses of `other` (AND).
    SpecifierSet& operator&=(const SpecifierSet& other);

  private:
    bool allows_prereleases() const noexcept;
    std::vector<Specifier> specs_;  // unique, sorted by their text
};

}  // namespace omni::standards
