// ModuleNotFoundError: No module named 'yaml' (and Python 2's ImportError:
// No module named yaml) -> the distribution that provides the top level.
#include <regex>

#include "run/source_window.hpp"

namespace omni::run {

std::optional<Finding> analyze_missing_module(const FailureContext& context) {
    static const std::regex no_module(R"re(^No module named '?([A-Za-z_][\w.]*)'?)re");
    const auto& tb = context.traceback;
    if (tb.exception != "ModuleNotFoundError" && tb.exception != "ImportError")
        return std::nullopt;
    std::smatch m;
    if (!std::regex_search(tb.message, m, no_module))
        return std::nullopt;
    const auto module = top_level(m[1].str());
    return Finding{FindingKind::missing_module,     distribution_for_import(module), module, "", "",
                   tb.exception + ": " + tb.message};
}

}  // namespace omni::run
