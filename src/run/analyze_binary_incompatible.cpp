// A compiled extension built against NumPy 1.x, imported with NumPy 2.x.
#include "run/source_window.hpp"

namespace omni::run {

std::optional<Finding> analyze_binary_incompatible(const FailureContext& context) {
    static constexpr std::string_view signs[] = {
        "compiled using NumPy 1.x cannot be run in",
        "numpy.core.multiarray failed to import",
        "_ARRAY_API not found",
        "numpy.dtype size changed, may indicate binary incompatibility",
    };
    const std::string& text = context.stderr_tail;
    for (const auto sign : signs) {
        const auto at = text.find(sign);
        if (at == std::string::npos)
            continue;
        const auto start = text.rfind('\n', at);
        const auto end = text.find('\n', at);
        return Finding{FindingKind::binary_incompatible,
                       "numpy<2",
                       "numpy",
                       "",
                       "",
                       text.substr(start == std::string::npos ? 0 : start + 1,
                                   end == std::string::npos
                                       ? std::string::npos
                                       : end - (start == std::string::npos ? 0 : start + 1))};
    }
    return std::nullopt;
}

}  // namespace omni::run
