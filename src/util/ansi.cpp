#include "omni/util/ansi.hpp"

namespace omni {

namespace {

constexpr char esc = '\x1b';
constexpr char bel = '\x07';

bool in(char c, char low, char high) {
    return c >= low && c <= high;
}

// The end of a string sequence (OSC, DCS, SOS, PM, APC) that starts at
// `i`, just past its terminator: BEL (OSC only, as xterm allows) or ESC \.
std::size_t skip_string(std::string_view text, std::size_t i, bool bel_ends) {
    for (; i < text.size(); ++i) {
        if (bel_ends && text[i] == bel)
            return i + 1;
        if (text[i] == esc && i + 1 < text.size() && text[i + 1] == '\\')
            return i + 2;
    }
    return text.size();
}

// The end of the escape sequence that starts with ESC at `i`.
std::size_t skip_escape(std::string_view text, std::size_t i) {
    ++i;  // ESC
    if (i >= text.size())
        return i;
    const char kind = text[i++];
    switch (kind) {
        case '[':  // CSI: parameters 0x30-0x3F, intermediates 0x20-0x2F, final 0x40-0x7E
            while (i < text.size() && in(text[i], 0x30, 0x3f))
                ++i;
            while (i < text.size() && in(text[i], 0x20, 0x2f))
                ++i;
            return i < text.size() && in(text[i], 0x40, 0x7e) ? i + 1 : i;
        case ']':
            return skip_string(text, i, true);
        case 'P':
        case 'X':
        case '^':
        case '_':
            return skip_string(text, i, false);
        default:
            // nF escapes: intermediates then one final byte (ESC ( B); else a
            // two-byte escape (ESC 7, ESC c, ESC =).
            if (in(kind, 0x20, 0x2f)) {
                while (i < text.size() && in(text[i], 0x20, 0x2f))
                    ++i;
                return i < text.size() ? i + 1 : i;
            }
            return i;
    }
}

}  // namespace

std::string strip_ansi(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto next = text.find(esc, i);
        if (next == std::string_view::npos) {
            out.append(text.substr(i));
            break;
        }
        out.append(text.substr(i, next - i));
        i = skip_escape(text, next);
    }
    return out;
}

std::size_t escape_length(std::string_view text) {
    return text.empty() || text.front() != esc ? 0 : skip_escape(text, 0);
}

}  // namespace omni
