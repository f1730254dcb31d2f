// `from pkg import X` or `pkg.X` failed because this version of pkg lacks
// X: the healer searches pkg's versions for one that has it.
#include <regex>

#include "run/source_window.hpp"

namespace omni::run {

std::optional<Finding> analyze_missing_name(const FailureContext& context) {
    static const std::regex cannot_import(
        R"re(^cannot import name '?(\w+)'?(?: from '([\w.]+)')?)re");
    static const std::regex no_attribute(R"re(^module '([\w.]+)' has no attribute '(\w+)')re");
    static const std::regex from_import(R"re(^\s*from\s+([\w.]+)\s+import\b)re");
    const auto& tb = context.traceback;
    const std::string evidence = tb.exception + ": " + tb.message;
    std::smatch m;
    if (tb.exception == "ImportError" && std::regex_search(tb.message, m, cannot_import)) {
        std::string module = m[2].matched ? m[2].str() : "";
        if (module.empty()) {
            // Python 2 and 3.6 do not say where from: the source line does.
            for (const auto& line : failure_window(context, 0)) {
                std::smatch f;
                if (std::regex_search(line, f, from_import))
                    module = f[1].str();
            }
        }
        if (module.empty())
            return std::nullopt;
        const auto top = top_level(module);
        return Finding{
            FindingKind::missing_name, distribution_for_import(top), top, m[1].str(), "", evidence};
    }
    if (tb.exception == "AttributeError" && std::regex_search(tb.message, m, no_attribute)) {
        const auto top = top_level(m[1].str());
        // The script's own module, or a standard one, is no package to heal.
        if (top == "__main__" || top == "sys" || top == "os")
            return std::nullopt;
        return Finding{
            FindingKind::missing_name, distribution_for_import(top), top, m[2].str(), "", evidence};
    }
    return std::nullopt;
}

}  // namespace omni::run
