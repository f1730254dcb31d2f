#include "omni/standards/name.hpp"

#include "standards/text.hpp"

namespace omni::standards {

namespace {
bool is_name_sep(char c) noexcept {
    return c == '-' || c == '_' || c == '.';
}

// Position of the first character that makes `name` invalid, or npos.
std::size_t first_invalid(std::string_view name) noexcept {
    if (name.empty())
        return 0;
    if (!text::is_alnum(name.front()))
        return 0;
    for (std::size_t i = 1; i < name.size(); ++i) {
        if (!text::is_alnum(name[i]) && !is_name_sep(name[i]))
            return i;
    }
    if (!text::is_alnum(name.back()))
        return name.size() - 1;
    return std::string_view::npos;
}
}  // namespace

std::string normalize_name(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    bool in_sep = false;
    for (char c : name) {
        if (is_name_sep(c)) {
            if (!in_sep)
                out.push_back('-');
            in_sep = true;
        } else {
            out.push_back(text::lower(c));
            in_sep = false;
        }
    }
    return out;
}

bool is_valid_name(std::string_view name) noexcept {
    return first_invalid(name) == std::string_view::npos;
}

bool names_equal(std::string_view a, std::string_view b) noexcept {
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size()) {
        const bool sa = is_name_sep(a[i]);
        const bool sb = is_name_sep(b[j]);
        if (sa != sb)
            return false;
        if (sa) {
            while (i < a.size() && is_name_sep(a[i]))
                ++i;
            while (j < b.size() && is_name_sep(b[j]))
                ++j;
            continue;
        }
        if (text::lower(a[i]) != text::lower(b[j]))
            return false;
        ++i;
        ++j;
    }
    return i == a.size() && j == b.size();
}

Result<std::string> parse_name(std::string_view name) {
    const std::size_t bad = first_invalid(name);
    if (bad != std::string_view::npos) {
        return std::unexpected(parse_error(
            "project name", name, bad,
            name.empty() ? "a name cannot be empty"
                         : "names use letters, digits, '.', '_' and '-', and start and end with "
                           "a letter or digit"));
    }
    return normalize_name(name);
}

}  // namespace omni::standards
