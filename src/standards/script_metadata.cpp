#include "omni/standards/script_metadata.hpp"

#include <toml++/toml.h>
#include <sstream>

namespace omni::standards {

namespace {

struct Line {
    std::string_view text;  // without the '\n'
    std::size_t start;      // offset in the script
    bool terminated;        // followed by '\n'
};

std::vector<Line> split_lines(std::string_view s) {
    std::vector<Line> out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const std::size_t nl = s.find('\n', pos);
        if (nl == std::string_view::npos) {
            out.push_back({s.substr(pos), pos, false});
            break;
        }
        out.push_back({s.substr(pos, nl - pos), pos, true});
        pos = nl + 1;
    }
    return out;
}

bool is_comment_line(std::string_view l) {
    return l == "#" || l.starts_with("# ");
}

// "# /// TYPE" with TYPE = [a-zA-Z0-9-]+; returns TYPE or empty.
std::string_view opening_type(std::string_view l) {
    if (!l.starts_with("# /// "))
        return {};
    const std::string_view type = l.substr(6);
    if (type.empty())
        return {};
    for (char c : type) {
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok)
            return {};
    }
    return type;
}

struct Block {
    std::size_t open;   // line index of "# /// type"
    std::size_t close;  // line index of "# ///"
};

}  // namespace

Result<std::optional<std::string>> extract_script_block(std::string_view script,
                                                        std::string_view type) {
    const auto lines = split_lines(script);
    std::optional<Block> found;
    std::size_t i = 0;
    while (i < lines.size()) {
        const auto t = opening_type(lines[i].text);
        if (t.empty() || !lines[i].terminated) {
            ++i;
            continue;
        }
        // The content is the run of comment lines after the opening line; the
        // block closes at the last "# ///" of that run (the regex is greedy).
        std::size_t run_end = i + 1;
        while (run_end < lines.size() && is_comment_line(lines[run_end].text))
            ++run_end;
        std::optional<std::size_t> close;
        for (std::size_t k = run_end; k > i + 2; --k) {
            if (lines[k - 1].text == "# ///") {
                close = k - 1;
                break;
            }
        }
        if (!close) {
            ++i;
            continue;
        }
        if (t == type) {
            if (found) {
                return std::unexpected(parse_error("inline script metadata", lines[i].text, 0,
                                                   "a second '# /// " + std::string(type) +
                                                       "' block (line " + std::to_string(i + 1) +
                                                       "); the first starts on line " +
                                                       std::to_string(found->open + 1)));
            }
            found = Block{i, *close};
        }
        i = *close + 1;
    }
    if (!found)
        return std::optional<std::string>();
    std::string toml;
    for (std::size_t k = found->open + 1; k < found->close; ++k) {
        const std::string_view l = lines[k].text;
        toml.append(l.starts_with("# ") ? l.substr(2) : l.substr(1));
        toml.push_back('\n');
    }
    return std::optional<std::string>(std::move(toml));
}

Result<std::optional<ScriptMetadata>> ScriptMetadata::parse(std::string_view script) {
    auto block = extract_script_block(script, "script");
    if (!block)
        return std::unexpected(block.error());
    if (!*block)
        return std::optional<ScriptMetadata>();
    ScriptMetadata meta;
    meta.toml = std::move(**block);
    toml::table table;
    try {
        table = toml::parse(meta.toml);
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        // Point at the line of the TOML content (as written in the block).
        std::string_view content = meta.toml;
        std::size_t pos = 0;
        for (std::size_t line = 1; line < where.line && pos < content.size(); ++line) {
            pos = content.find('\n', pos);
            if (pos == std::string_view::npos)
                break;
            ++pos;
        }
        const std::size_t line_end = std::min(content.find('\n', pos), content.size());
        return std::unexpected(
            parse_error("inline script metadata (TOML line " + std::to_string(where.line) + ")",
                        content.substr(pos, line_end - pos),
                        where.column > 0 ? where.column - 1 : 0, std::string(e.description())));
    }
    if (auto* deps = table.get("dependencies")) {
        auto* arr = deps->as_array();
        if (!arr) {
            return std::unexpected(Error(ErrorCode::invalid_input,
                                         "invalid inline script metadata: 'dependencies' must "
                                         "be an array of strings"));
        }
        for (const auto& item : *arr) {
            auto s = item.value<std::string>();
            if (!s) {
                return std::unexpected(Error(ErrorCode::invalid_input,
                                             "invalid inline script metadata: 'dependencies' "
                                             "must be an array of strings"));
            }
            auto r = Requirement::parse(*s);
            if (!r) {
                return std::unexpected(
                    Error(ErrorCode::invalid_input,
                          std::string("inline script metadata dependency: ") + r.error().what()));
            }
            meta.dependencies.push_back(std::move(*r));
        }
    }
    if (auto* rp = table.get("requires-python")) {
        auto s = rp->value<std::string>();
        if (!s) {
            return std::unexpected(
                Error(ErrorCode::invalid_input,
                      "invalid inline script metadata: 'requires-python' must be a string"));
        }
        auto set = SpecifierSet::parse(*s);
        if (!set) {
            return std::unexpected(Error(
                ErrorCode::invalid_input,
                std::string("inline script metadata requires-python: ") + set.error().what()));
        }
        meta.requires_python = std::move(*set);
    }
    if (auto* tool = table.get("tool")) {
        if (auto* t = tool->as_table()) {
            std::ostringstream out;
            out << toml::toml_formatter(*t);
            meta.tool_toml = out.str();
        }
    }
    return std::optional<ScriptMetadata>(std::move(meta));
}

}  // namespace omni::standards
