#include "omni/python/request.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace omni::python {

namespace {

constexpr std::string_view what = "Python request";

std::string lower(std::string_view text) {
    std::string out(text);
    std::ranges::transform(out, out.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// Compares the first parts.size() numbers of a version with `parts`.
int compare_prefix(const PythonVersion& v, const std::vector<int>& parts) {
    const int fields[] = {v.major, v.minor, v.micro};
    for (std::size_t i = 0; i < parts.size() && i < 3; ++i) {
        if (fields[i] != parts[i])
            return fields[i] < parts[i] ? -1 : 1;
    }
    return 0;
}

// Parses "3", "3.9", "3.9.18" starting at `pos` of `full` (for carets).
Result<std::vector<int>> parse_numbers(std::string_view full, std::size_t pos, std::size_t end) {
    std::vector<int> parts;
    while (pos < end) {
        int value = 0;
        const char* begin = full.data() + pos;
        const auto [ptr, ec] = std::from_chars(begin, full.data() + end, value);
        if (ec != std::errc() || ptr == begin)
            return std::unexpected(parse_error(what, full, pos, "expected a version number"));
        parts.push_back(value);
        pos += static_cast<std::size_t>(ptr - begin);
        if (pos == end)
            break;
        if (full[pos] != '.')
            return std::unexpected(parse_error(what, full, pos, "expected '.' or the end"));
        if (parts.size() == 3)
            return std::unexpected(parse_error(what, full, pos, "at most three numbers: X.Y.Z"));
        ++pos;
        if (pos == end)
            return std::unexpected(parse_error(what, full, pos, "expected a number after '.'"));
    }
    if (parts.empty())
        return std::unexpected(parse_error(what, full, pos, "expected a version"));
    return parts;
}

// "a1", "b2", "rc3" after X.Y.Z: the level and serial, or false.
bool parse_prerelease(std::string_view text, int& level, int& serial) {
    const std::pair<std::string_view, int> tags[] = {{"rc", 2}, {"a", 0}, {"b", 1}};
    for (const auto& [tag, value] : tags) {
        if (!text.starts_with(tag))
            continue;
        const auto digits = text.substr(tag.size());
        const auto [ptr, ec] =
            std::from_chars(digits.data(), digits.data() + digits.size(), serial);
        if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size())
            return false;
        level = value;
        return true;
    }
    return false;
}

}  // namespace

bool VersionBound::admits(const PythonVersion& version) const {
    int c = compare_prefix(version, parts);
    if (c == 0 && names_prerelease()) {
        const auto have = std::pair(version.level, version.serial);
        const auto want = std::pair(level, serial);
        c = have == want ? 0 : (have < want ? -1 : 1);
    }
    switch (op) {
        case BoundOp::prefix:
        case BoundOp::eq:
            return c == 0;
        case BoundOp::ne:
            return c != 0;
        case BoundOp::ge:
            return c >= 0;
        case BoundOp::gt:
            return c > 0;
        case BoundOp::le:
            return c <= 0;
        case BoundOp::lt:
            return c < 0;
    }
    return false;
}

Result<PythonRequest> PythonRequest::parse(std::string_view input) {
    PythonRequest request;
    request.text = std::string(trim(input));
    const std::string_view text = request.text;
    if (text.empty())
        return std::unexpected(parse_error(what, text, 0, "empty request"));
    if (text.front() == '/' || text.front() == '.' || text.front() == '~' ||
        text.find('/') != std::string_view::npos) {
        std::filesystem::path p(text);
        if (text.front() == '~') {
            const char* home = std::getenv("HOME");
            p = std::filesystem::path(home ? home : "") /
                std::string(text.substr(text.size() > 1 ? 2 : 1));
        }
        request.path = std::filesystem::absolute(p).lexically_normal();
        return request;
    }

    // Implementation name: letters before the version ("cpython3.12",
    // "cpython@3.12", "pypy-3.10"); "python" alone means any.
    std::size_t pos = 0;
    while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos])))
        ++pos;
    if (pos > 0) {
        const std::string impl = lower(text.substr(0, pos));
        if (impl == "cpython" || impl == "pypy" || impl == "graalpy") {
            request.implementation = impl;
        } else if (impl != "python" && impl != "py") {
            return std::unexpected(
                parse_error(what, text, 0, "unknown implementation (cpython, pypy, graalpy)"));
        }
        if (pos < text.size() && (text[pos] == '@' || text[pos] == '-'))
            ++pos;
        if (pos == text.size())
            return request;  // "cpython": any version of it
    }

    // Clauses separated by commas: "3.9", ">=3.10", ">=3.9,<3.12", "3.13t".
    std::size_t start = pos;
    while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::size_t p = start;
        while (p < end && text[p] == ' ')
            ++p;
        std::size_t stop = end;
        while (stop > p && text[stop - 1] == ' ')
            --stop;
        VersionBound bound;
        const std::string_view clause = text.substr(p, stop - p);
        const std::pair<std::string_view, BoundOp> ops[] = {
            {">=", BoundOp::ge}, {"<=", BoundOp::le}, {"==", BoundOp::eq},
            {"!=", BoundOp::ne}, {">", BoundOp::gt},  {"<", BoundOp::lt}};
        for (const auto& [token, op] : ops) {
            if (clause.starts_with(token)) {
                bound.op = op;
                p += token.size();
                break;
            }
        }
        while (p < stop && text[p] == ' ')
            ++p;
        if (p < stop && text[stop - 1] == 't') {
            if (bound.op != BoundOp::prefix && bound.op != BoundOp::eq)
                return std::unexpected(parse_error(what, text, stop - 1,
                                                   "'t' (free-threaded) goes on a plain version"));
            request.free_threaded = true;
            --stop;
        }
        // A pre-release tag after the numbers: "3.14.0rc1".
        std::size_t numbers_end = p;
        while (numbers_end < stop && (std::isdigit(static_cast<unsigned char>(text[numbers_end])) ||
                                      text[numbers_end] == '.'))
            ++numbers_end;
        if (numbers_end > p && numbers_end < stop && text[numbers_end - 1] != '.' &&
            std::isalpha(static_cast<unsigned char>(text[numbers_end]))) {
            if (!parse_prerelease(text.substr(numbers_end, stop - numbers_end), bound.level,
                                  bound.serial))
                return std::unexpected(
                    parse_error(what, text, numbers_end, "expected a pre-release: a1, b2 or rc1"));
        } else {
            numbers_end = stop;
        }
        auto parts = parse_numbers(text, p, numbers_end);
        if (!parts)
            return std::unexpected(parts.error());
        if (bound.names_prerelease() && parts->size() != 3)
            return std::unexpected(parse_error(
                what, text, numbers_end, "a pre-release follows all three numbers: 3.14.0rc1"));
        bound.parts = std::move(*parts);
        request.bounds.push_back(std::move(bound));
        if (end == text.size())
            break;
        start = end + 1;
    }
    return request;
}

bool PythonRequest::names_prerelease() const {
    return std::ranges::any_of(
        bounds, [](const VersionBound& b) { return b.names_prerelease() && b.op != BoundOp::ne; });
}

bool PythonRequest::matches(const InterpreterInfo& info) const {
    if (path)
        return false;
    if (!implementation.empty() && info.implementation != implementation)
        return false;
    if (free_threaded && !info.free_threaded)
        return false;
    return std::ranges::all_of(bounds,
                               [&](const VersionBound& b) { return b.admits(info.version); });
}

}  // namespace omni::python
