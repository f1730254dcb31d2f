#include "omni/run/traceback.hpp"

#include <regex>

#include "omni/util/ansi.hpp"

namespace omni::run {

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        lines.push_back(text.substr(0, nl));
        if (nl == std::string_view::npos)
            break;
        text.remove_prefix(nl + 1);
    }
    return lines;
}

std::string_view strip(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// Only carets, tildes and spaces: 3.11+ position markers under a source line.
bool is_marker_line(std::string_view s) {
    s = strip(s);
    return !s.empty() && s.find_first_not_of("^~ ") == std::string_view::npos;
}

}  // namespace

Traceback parse_traceback(std::string_view raw) {
    // Tracebacks of 3.13 (and FORCE_COLOR) carry ANSI colour codes.
    const std::string plain = strip_ansi(raw);
    const std::string_view text = plain;
    static const std::regex frame_re(R"re(^\s*File "([^"]*)", line (\d+)(?:, in (.*))?$)re");
    static const std::regex exception_re(R"re(^([A-Za-z_][\w.]*)(?::\s?(.*))?$)re");
    const auto lines = lines_of(text);
    // The last "Traceback (most recent call last):" starts the one that ended the process.
    std::size_t start = lines.size();
    for (std::size_t i = lines.size(); i-- > 0;)
        if (lines[i].starts_with("Traceback (most recent call last):")) {
            start = i;
            break;
        }
    Traceback tb;
    if (start == lines.size()) {
        // SyntaxError before any code ran prints no "Traceback" header.
        for (std::size_t i = 0; i < lines.size(); ++i) {
            std::cmatch m;
            const std::string line(lines[i]);
            if (std::regex_match(line.c_str(), m, frame_re)) {
                tb.frames.push_back({m[1], std::stoi(m[2]), m[3].matched ? m[3].str() : "", ""});
                if (i + 1 < lines.size() && !is_marker_line(lines[i + 1]))
                    tb.frames.back().source = std::string(strip(lines[i + 1]));
                start = i;
            }
        }
        if (tb.frames.empty())
            return tb;
    }
    std::size_t i = start + 1;
    for (; i < lines.size(); ++i) {
        const std::string line(lines[i]);
        std::smatch m;
        if (std::regex_match(line, m, frame_re)) {
            tb.frames.push_back({m[1], std::stoi(m[2]), m[3].matched ? m[3].str() : "", ""});
            continue;
        }
        if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
            // A source line or a marker line under the current frame.
            if (!tb.frames.empty() && tb.frames.back().source.empty() && !is_marker_line(line))
                tb.frames.back().source = std::string(strip(line));
            continue;
        }
        if (std::regex_match(line, m, exception_re)) {
            tb.exception = m[1];
            tb.message = m[2].matched ? m[2].str() : "";
            tb.found = true;
            // Continuation lines of a multi-line message, until a blank line
            // or the next chained traceback.
            for (std::size_t j = i + 1; j < lines.size(); ++j) {
                if (lines[j].empty() || lines[j].starts_with("Traceback") ||
                    lines[j].starts_with("During handling") ||
                    lines[j].starts_with("The above exception"))
                    break;
                tb.message += "\n" + std::string(lines[j]);
            }
            break;
        }
    }
    return tb;
}

}  // namespace omni::run
