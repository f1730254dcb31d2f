#include "omni/standards/requirement.hpp"

#include <algorithm>

#include "omni/standards/name.hpp"
#include "standards/text.hpp"

namespace omni::standards {

namespace {

bool is_word(char c) noexcept {
    return text::is_alnum(c) || c == '_';
}

struct Cursor {
    std::string_view s;
    std::size_t pos = 0;
    bool at_end() const noexcept { return pos >= s.size(); }
    char peek() const noexcept { return pos < s.size() ? s[pos] : '\0'; }
    void ws() noexcept {
        while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t'))
            ++pos;
    }
    // packaging's IDENTIFIER: \b[a-zA-Z0-9][a-zA-Z0-9._-]*\b
    std::optional<std::string_view> identifier() noexcept {
        if (!text::is_alnum(peek()) || (pos > 0 && is_word(s[pos - 1])))
            return std::nullopt;
        std::size_t end = pos + 1;
        while (end < s.size() &&
               (text::is_alnum(s[end]) || s[end] == '.' || s[end] == '_' || s[end] == '-')) {
            ++end;
        }
        while (end > pos + 1) {
            const bool after = end < s.size() && is_word(s[end]);
            if (is_word(s[end - 1]) != after)
                break;
            --end;
        }
        auto id = s.substr(pos, end - pos);
        pos = end;
        return id;
    }
    // One SPECIFIER token (operator and version, as the regex reads it).
    std::optional<std::string_view> specifier() noexcept {
        const std::string_view rest = s.substr(pos);
        std::size_t p = pos;
        if (rest.starts_with("===")) {
            p += 3;
            while (p < s.size() && text::is_space(s[p]))
                ++p;
            while (p < s.size() && !text::is_space(s[p]) && s[p] != ';' && s[p] != ')')
                ++p;
            auto tok = s.substr(pos, p - pos);
            pos = p;
            return tok;
        }
        std::string_view op;
        for (std::string_view o : {"~=", "==", "!=", "<=", ">=", "<", ">"}) {
            if (rest.starts_with(o)) {
                op = o;
                break;
            }
        }
        if (op.empty())
            return std::nullopt;
        p += op.size();
        while (p < s.size() && text::is_space(s[p]))
            ++p;
        const bool eq = op == "==" || op == "!=";
        std::size_t vpos = p;
        auto v = Version::scan(s, vpos, Version::ScanOptions{eq, eq});
        if (!v)
            return std::nullopt;
        if (op == "~=" && v->release().size() < 2)
            return std::nullopt;
        if (eq && s.substr(vpos).starts_with(".*"))
            vpos += 2;
        auto tok = s.substr(pos, vpos - pos);
        pos = vpos;
        return tok;
    }
};

using Fail = std::unexpected<Version::Failure>;

std::expected<Requirement, Version::Failure> parse_requirement(std::string_view input) {
    Cursor c{input};
    Requirement r;
    c.ws();
    auto name = c.identifier();
    if (!name)
        return Fail(Version::Failure{c.pos, "expected a package name"});
    r.name = std::string(*name);
    c.ws();
    if (c.peek() == '[') {
        ++c.pos;
        c.ws();
        if (auto first = c.identifier()) {
            r.extras.emplace_back(*first);
            while (true) {
                c.ws();
                if (text::is_alnum(c.peek())) {
                    return Fail(Version::Failure{c.pos, "expected a comma between extra names"});
                }
                if (c.peek() != ',')
                    break;
                ++c.pos;
                c.ws();
                auto extra = c.identifier();
                if (!extra)
                    return Fail(Version::Failure{c.pos, "expected an extra name after ','"});
                r.extras.emplace_back(*extra);
            }
        }
        c.ws();
        if (c.peek() != ']')
            return Fail(Version::Failure{c.pos, "expected ']' to close the extras"});
        ++c.pos;
        std::sort(r.extras.begin(), r.extras.end());
        r.extras.erase(std::unique(r.extras.begin(), r.extras.end()), r.extras.end());
    }
    c.ws();
    std::size_t marker_start = std::string_view::npos;
    if (c.peek() == '@') {
        ++c.pos;
        c.ws();
        const std::size_t start = c.pos;
        while (!c.at_end() && c.peek() != ' ' && c.peek() != '\t')
            ++c.pos;
        if (c.pos == start)
            return Fail(Version::Failure{c.pos, "expected a URL after '@'"});
        r.url = std::string(input.substr(start, c.pos - start));
        if (!c.at_end()) {
            c.ws();  // the URL ended at whitespace
            if (!c.at_end()) {
                if (c.peek() != ';') {
                    return Fail(Version::Failure{c.pos, "expected ';' or the end after the URL"});
                }
                marker_start = c.pos + 1;
            }
        }
    } else {
        const bool paren = c.peek() == '(';
        if (paren)
            ++c.pos;
        c.ws();
        std::string specs;
        const std::size_t spec_start = c.pos;
        while (auto tok = c.specifier()) {
            specs.append(*tok);
            if (input.substr(c.pos).starts_with(".*")) {
                return Fail(Version::Failure{c.pos, "'.*' can only be used with == and !="});
            }
            if (c.peek() == '+') {
                return Fail(
                    Version::Failure{c.pos, "a local version can only be used with == and !="});
            }
            c.ws();
            if (c.peek() != ',')
                break;
            specs.push_back(',');
            ++c.pos;
            c.ws();
        }
        c.ws();
        if (paren) {
            if (c.peek() != ')') {
                return Fail(Version::Failure{c.pos, "expected ')' to close the version specifier"});
            }
            ++c.pos;
        }
        auto set = SpecifierSet::parse(specs);
        if (!set)
            return Fail(Version::Failure{spec_start, "invalid version specifier"});
        r.specifier = std::move(*set);
        c.ws();
        if (!c.at_end()) {
            if (c.peek() != ';') {
                return Fail(Version::Failure{
                    c.pos, specs.empty() ? "expected a version specifier, ';' or the end"
                                         : "expected ',', ';' or the end after the version"});
            }
            marker_start = c.pos + 1;
        }
    }
    if (marker_start != std::string_view::npos) {
        auto m = Marker::parse_raw(input.substr(marker_start));
        if (!m)
            return Fail(Version::Failure{marker_start + m.error().pos, m.error().reason});
        r.marker = std::move(*m);
    }
    return r;
}

}  // namespace

Result<Requirement> Requirement::parse(std::string_view input) {
    auto r = parse_requirement(input);
    if (!r) {
        return std::unexpected(parse_error("requirement", input, r.error().pos, r.error().reason));
    }
    return std::move(*r);
}

std::string Requirement::normalized_name() const {
    return normalize_name(name);
}

std::string Requirement::to_string() const {
    std::string out = name;
    if (!extras.empty()) {
        out += "[";
        for (std::size_t i = 0; i < extras.size(); ++i) {
            if (i)
                out += ",";
            out += extras[i];
        }
        out += "]";
    }
    out += specifier.to_string();
    if (!url.empty()) {
        out += "@ " + url;
        if (marker)
            out += " ";
    }
    if (marker)
        out += "; " + marker->to_string();
    return out;
}

}  // namespace omni::standards
