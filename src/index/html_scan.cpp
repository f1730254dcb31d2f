#include "index/html_scan.hpp"

#include <cctype>

#include "index/page_error.hpp"

namespace omni::index_detail {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::string lower_copy(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = lower(c);
    return out;
}

void append_utf8(std::string& out, unsigned long cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x110000) {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && is_space(s[b]))
        ++b;
    while (e > b && is_space(s[e - 1]))
        --e;
    return std::string(s.substr(b, e - b));
}

struct Tag {
    std::string name;  // lower-case, "/a" for a closing tag
    std::map<std::string, std::string> attributes;
    std::size_t end = 0;  // offset just after '>'
};

// Parses the tag starting at text[pos] == '<'.
Result<Tag> parse_tag(std::string_view text, std::size_t pos, std::string_view url) {
    Tag tag;
    std::size_t i = pos + 1;
    const std::size_t name_start = i;
    while (i < text.size() && !is_space(text[i]) && text[i] != '>' &&
           !(text[i] == '/' && i > name_start))
        ++i;
    tag.name = lower_copy(text.substr(name_start, i - name_start));
    while (true) {
        while (i < text.size() && (is_space(text[i]) || text[i] == '/'))
            ++i;
        if (i >= text.size())
            return std::unexpected(page_error(url, text, pos, "unterminated tag"));
        if (text[i] == '>') {
            tag.end = i + 1;
            return tag;
        }
        const std::size_t attr_start = i;
        while (i < text.size() && !is_space(text[i]) && text[i] != '=' && text[i] != '>' &&
               text[i] != '/')
            ++i;
        std::string name = lower_copy(text.substr(attr_start, i - attr_start));
        while (i < text.size() && is_space(text[i]))
            ++i;
        std::string value;
        if (i < text.size() && text[i] == '=') {
            ++i;
            while (i < text.size() && is_space(text[i]))
                ++i;
            if (i < text.size() && (text[i] == '"' || text[i] == '\'')) {
                const char quote = text[i];
                const auto close = text.find(quote, i + 1);
                if (close == std::string_view::npos)
                    return std::unexpected(
                        page_error(url, text, i, "unterminated quoted attribute value"));
                value = decode_entities(text.substr(i + 1, close - i - 1));
                i = close + 1;
            } else {
                const std::size_t v = i;
                while (i < text.size() && !is_space(text[i]) && text[i] != '>')
                    ++i;
                value = decode_entities(text.substr(v, i - v));
            }
        }
        if (!name.empty())
            tag.attributes.emplace(std::move(name), std::move(value));
    }
}

}  // namespace

std::string decode_entities(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '&') {
            out += text[i];
            continue;
        }
        const auto semi = text.find(';', i);
        if (semi == std::string_view::npos || semi - i > 10) {
            out += '&';
            continue;
        }
        const auto entity = text.substr(i + 1, semi - i - 1);
        std::string decoded;
        if (entity == "amp")
            decoded = "&";
        else if (entity == "lt")
            decoded = "<";
        else if (entity == "gt")
            decoded = ">";
        else if (entity == "quot")
            decoded = "\"";
        else if (entity == "apos")
            decoded = "'";
        else if (entity.size() > 1 && entity[0] == '#') {
            const bool hex = entity[1] == 'x' || entity[1] == 'X';
            const auto digits = entity.substr(hex ? 2 : 1);
            unsigned long cp = 0;
            bool ok = !digits.empty();
            for (const char c : digits) {
                const auto u = static_cast<unsigned char>(c);
                if (hex ? !std::isxdigit(u) : !std::isdigit(u))
                    ok = false;
                if (!ok)
                    break;
                cp = cp * (hex ? 16 : 10) +
                     static_cast<unsigned long>(std::isdigit(u) ? c - '0' : (lower(c) - 'a' + 10));
                if (cp > 0x10FFFF)
                    ok = false;
            }
            if (ok)
                append_utf8(decoded, cp);
        }
        if (decoded.empty()) {
            out += '&';
            continue;
        }
        out += decoded;
        i = semi;
    }
    return out;
}

Result<HtmlDocument> scan_html(std::string_view text, std::string_view url) {
    HtmlDocument doc;
    std::size_t i = 0;
    while ((i = text.find('<', i)) != std::string_view::npos) {
        if (text.substr(i, 4) == "<!--") {
            const auto end = text.find("-->", i + 4);
            if (end == std::string_view::npos)
                return std::unexpected(page_error(url, text, i, "unterminated comment"));
            i = end + 3;
            continue;
        }
        if (i + 1 >= text.size() || is_space(text[i + 1])) {  // a stray '<' in text
            ++i;
            continue;
        }
        auto tag = parse_tag(text, i, url);
        if (!tag)
            return std::unexpected(tag.error());
        if (tag->name == "a") {
            HtmlAnchor anchor;
            anchor.position = i;
            anchor.attributes = std::move(tag->attributes);
            // The text runs to the closing </a> (or the next tag, leniently).
            std::size_t end = tag->end;
            const auto close = text.find('<', end);
            const auto text_end = close == std::string_view::npos ? text.size() : close;
            anchor.text = trim(decode_entities(text.substr(end, text_end - end)));
            doc.anchors.push_back(std::move(anchor));
        } else if (tag->name == "base" && tag->attributes.contains("href") && !doc.base_href) {
            doc.base_href = tag->attributes["href"];
        } else if (tag->name == "meta" && tag->attributes["name"] == "pypi:repository-version") {
            doc.repository_version = tag->attributes["content"];
        }
        i = tag->end;
    }
    return doc;
}

}  // namespace omni::index_detail
