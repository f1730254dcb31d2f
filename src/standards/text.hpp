#pragma once
// Character helpers shared by the standards parsers (ASCII, locale-free).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace omni::standards::text {

// Python's `\s` for ASCII: space, \t \n \v \f \r and the separators \x1c-\x1f.
inline bool is_space(char c) noexcept {
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}
inline bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
inline bool is_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_alnum(char c) noexcept {
    return is_digit(c) || is_alpha(c);
}
inline char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

inline std::string_view strip(std::string_view s) noexcept {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

inline std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = lower(c);
    return out;
}

// Case-insensitive: does `s` at `pos` start with the lowercase word `word`?
inline bool starts_with_ci(std::string_view s, std::size_t pos, std::string_view word) noexcept {
    if (pos > s.size() || s.size() - pos < word.size())
        return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (lower(s[pos + i]) != word[i])
            return false;
    }
    return true;
}

inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

// Reads a run of digits at `pos` as an unsigned number; nullopt on overflow.
// `pos` is advanced past the digits either way.
inline std::optional<std::uint64_t> read_number(std::string_view s, std::size_t& pos) noexcept {
    std::uint64_t value = 0;
    bool overflow = false;
    while (pos < s.size() && is_digit(s[pos])) {
        const auto digit = static_cast<std::uint64_t>(s[pos] - '0');
        if (value > (UINT64_MAX - digit) / 10)
            overflow = true;
        value = value * 10 + digit;
        ++pos;
    }
    if (overflow)
        return std::nullopt;
    return value;
}

}  // namespace omni::standards::text
