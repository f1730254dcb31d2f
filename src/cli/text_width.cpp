#include "cli/text_width.hpp"

#include <cstdint>

#include "omni/util/ansi.hpp"

namespace omni::cli {

namespace {

// One piece of text: an escape sequence (no columns) or one character.
struct Piece {
    std::size_t length = 0;  // bytes
    std::size_t columns = 0;
};

std::size_t columns_of(std::uint32_t c) {
    if ((c >= 0x0300 && c <= 0x036f) || (c >= 0x200b && c <= 0x200f) || c == 0xfe0f)
        return 0;
    if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
        (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
        (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
        (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
        (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd))
        return 2;
    return 1;
}

Piece next_piece(std::string_view text, std::size_t i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == 0x1b)
        return {escape_length(text.substr(i)), 0};
    if (byte < 0x80)
        return {1, byte < 0x20 || byte == 0x7f ? 0u : 1u};
    std::size_t length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    if (i + length > text.size())
        length = text.size() - i;
    std::uint32_t c = length == 1 ? byte : byte & (0x7fu >> length);
    for (std::size_t k = 1; k < length; ++k)
        c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3fu);
    return {length, columns_of(c)};
}

}  // namespace

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto piece = next_piece(text, i);
        width += piece.columns;
        i += piece.length;
    }
    return width;
}

std::string fit_width(std::string_view text, std::size_t width) {
    if (display_width(text) <= width)
        return std::string(text);
    std::string out;
    bool escaped = false;
    std::size_t used = 0;
    const std::size_t room = width == 0 ? 0 : width - 1;  // one column for "…"
    for (std::size_t i = 0; i < text.size();) {
        const auto piece = next_piece(text, i);
        if (piece.columns == 0) {
            escaped = escaped || text[i] == '\x1b';
            out.append(text.substr(i, piece.length));
        } else if (used + piece.columns <= room) {
            out.append(text.substr(i, piece.length));
            used += piece.columns;
        } else {
            break;
        }
        i += piece.length;
    }
    if (width > 0)
        out += "\xe2\x80\xa6";
    if (escaped)
        out += "\x1b[0m";
    return out;
}

std::string wrap_words(std::string_view text, std::size_t width) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        const auto paragraph = text.substr(start, end - start);
        if (width == 0 || display_width(paragraph) <= width) {
            out.append(paragraph);
            out += '\n';
        } else {
            std::string line;
            std::size_t used = 0;
            std::size_t i = 0;
            while (i < paragraph.size()) {
                const auto space = paragraph.find(' ', i);
                const auto word = paragraph.substr(
                    i, space == std::string_view::npos ? std::string_view::npos : space - i);
                i = space == std::string_view::npos ? paragraph.size() : space + 1;
                if (word.empty())
                    continue;
                const auto w = display_width(word);
                if (used > 0 && used + 1 + w > width) {
                    out += line + '\n';
                    line.clear();
                    used = 0;
                }
                if (used > 0) {
                    line += ' ';
                    ++used;
                }
                line.append(word);
                used += w;
            }
            out += line + '\n';
        }
        if (end == text.size())
            break;
        start = end + 1;
    }
    return out;
}

std::string pad_right(std::string_view text, std::size_t width) {
    const auto w = display_width(text);
    return std::string(text) + std::string(w < width ? width - w : 0, ' ');
}

std::string pad_left(std::string_view text, std::size_t width) {
    const auto w = display_width(text);
    return std::string(w < width ? width - w : 0, ' ') + std::string(text);
}

}  // namespace omni::cli
