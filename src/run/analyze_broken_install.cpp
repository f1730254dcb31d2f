// A compiled module that no longer loads: undefined symbols, a missing
// shared object, files gone while the metadata stays.
#include <regex>

#include "run/source_window.hpp"

namespace omni::run {

std::optional<Finding> analyze_broken_install(const FailureContext& context) {
    static constexpr std::string_view signs[] = {"undefined symbol",
                                                 "cannot open shared object file",
                                                 "invalid ELF header", "wrong ELF class"};
    static const std::regex package_path(R"re((?:site|dist)-packages/([A-Za-z_]\w*))re");
    static const std::regex import_line(R"re(^\s*(?:from|import)\s+([\w.]+))re");
    const auto& tb = context.traceback;
    if (tb.exception != "ImportError" && tb.exception != "OSError")
        return std::nullopt;
    bool broken = false;
    for (const auto sign : signs)
        broken = broken || tb.message.find(sign) != std::string::npos;
    if (!broken)
        return std::nullopt;
    std::smatch m;
    std::string module;
    if (std::regex_search(tb.message, m, package_path))
        module = m[1].str();
    for (const auto& line : failure_window(context, 0))
        if (module.empty() && std::regex_search(line, m, import_line))
            module = top_level(m[1].str());
    if (module.empty())
        return std::nullopt;
    return Finding{FindingKind::broken_install,     distribution_for_import(module), module, "", "",
                   tb.exception + ": " + tb.message};
}

}  // namespace omni::run
