#include "omni/python/version.hpp"

#include <charconv>

#include <fmt/format.h>

namespace omni::python {

namespace {

// Reads digits at `pos`; false when there are none.
bool read_number(std::string_view text, std::size_t& pos, int& value) {
    const char* begin = text.data() + pos;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr == begin)
        return false;
    pos += static_cast<std::size_t>(ptr - begin);
    return true;
}

}  // namespace

Result<PythonVersion> PythonVersion::parse(std::string_view text) {
    PythonVersion v;
    std::size_t pos = 0;
    int* fields[] = {&v.major, &v.minor, &v.micro};
    for (std::size_t i = 0; i < 3; ++i) {
        if (i > 0) {
            if (pos >= text.size() || text[pos] != '.') {
                if (i == 1)
                    return std::unexpected(
                        parse_error("Python version", text, pos, "expected '.'"));
                break;
            }
            ++pos;
        }
        if (!read_number(text, pos, *fields[i]))
            return std::unexpected(parse_error("Python version", text, pos, "expected a number"));
    }
    if (pos < text.size()) {
        const std::string_view rest = text.substr(pos);
        std::size_t tag = 0;
        if (rest.starts_with("rc")) {
            v.level = 2;
            tag = 2;
        } else if (rest.starts_with("c") || rest.starts_with("b") || rest.starts_with("a")) {
            v.level = rest[0] == 'a' ? 0 : rest[0] == 'b' ? 1 : 2;
            tag = 1;
        } else {
            return std::unexpected(
                parse_error("Python version", text, pos, "expected a pre-release tag (a, b, rc)"));
        }
        pos += tag;
        if (!read_number(text, pos, v.serial))
            return std::unexpected(parse_error("Python version", text, pos, "expected a number"));
        if (pos != text.size())
            return std::unexpected(parse_error("Python version", text, pos, "unexpected text"));
    }
    return v;
}

std::string PythonVersion::str() const {
    std::string out = fmt::format("{}.{}.{}", major, minor, micro);
    if (level < 3)
        out += fmt::format("{}{}", level == 0 ? "a" : level == 1 ? "b" : "rc", serial);
    return out;
}

std::string PythonVersion::major_minor() const {
    return fmt::format("{}.{}", major, minor);
}

}  // namespace omni::python
