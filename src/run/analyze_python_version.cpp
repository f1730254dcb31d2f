// Syntax or typing the running interpreter is too old (or too new) for.
#include <regex>

#include "run/source_window.hpp"

namespace omni::run {

std::optional<Finding> analyze_python_version(const FailureContext& context) {
    const auto& tb = context.traceback;
    const std::string evidence = tb.exception + ": " + tb.message;
    if (tb.exception == "TypeError") {
        if (tb.message.find("object is not subscriptable") != std::string::npos &&
            tb.message.starts_with("'type'"))
            return Finding{FindingKind::python_version, "", "", "", ">=3.9", evidence};
        if (tb.message.find("unsupported operand type(s) for |") != std::string::npos)
            return Finding{FindingKind::python_version, "", "", "", ">=3.10", evidence};
        return std::nullopt;
    }
    if (tb.exception != "SyntaxError" && tb.exception != "IndentationError")
        return std::nullopt;
    // Newest feature first: the strictest bound wins.
    struct Feature {
        std::regex pattern;
        const char* python;
    };
    static const Feature features[] = {
        {std::regex(R"re(^\s*type\s+\w+(\[.*\])?\s*=)re"), ">=3.12"},
        {std::regex(R"re(^\s*except\s*\*)re"), ">=3.11"},
        {std::regex(R"re(^\s*match\s+.+:\s*$)re"), ">=3.10"},
        {std::regex(R"re(^\s*with\s*\(.*\)\s*:\s*$)re"), ">=3.10"},
        {std::regex(R"re(:=)re"), ">=3.8"},
        {std::regex(R"re(\bdef\s+\w+\(.*,\s*/\s*[,)])re"), ">=3.8"},
        {std::regex(R"re(^\s*print\s+["'\w])re"), "<3"},
        {std::regex(R"re(^\s*exec\s+["'])re"), "<3"},
    };
    std::vector<std::string> lines;
    if (const auto* frame = innermost(context); frame && !frame->source.empty())
        lines.push_back(frame->source);
    for (const auto& line : failure_window(context, 0))
        lines.push_back(line);
    for (const auto& feature : features)
        for (const auto& line : lines)
            if (std::regex_search(line, feature.pattern))
                return Finding{FindingKind::python_version, "", "", "", feature.python, line};
    return std::nullopt;
}

}  // namespace omni::run
