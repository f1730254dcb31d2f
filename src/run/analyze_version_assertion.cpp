// `assert rich.__version__ == "13.4.2"`, `version("rich") >= "13"`, and
// messages like "Expected 13.4.2, got 13.7.1" next to a __version__ read.
#include <regex>

#include "run/source_window.hpp"
#include "run/version_expression.hpp"

namespace omni::run {

namespace {

// The requirement the failing condition asks for. On an `if` line the
// condition is the failure, so the operator is inverted.
std::string demanded(const std::string& op, bool condition_is_failure) {
    if (!condition_is_failure)
        return op;
    if (op == "==")
        return "!=";
    if (op == "!=")
        return "==";
    if (op == "<")
        return ">=";
    if (op == ">=")
        return "<";
    if (op == ">")
        return "<=";
    if (op == "<=")
        return ">";
    return op;
}

bool is_if_line(const std::string& line) {
    static const std::regex if_re(R"(^\s*(if|elif|while)\b)");
    return std::regex_search(line, if_re);
}

}  // namespace

std::optional<Finding> analyze_version_assertion(const FailureContext& context) {
    static const std::regex module_attr(
        R"re(([A-Za-z_][\w.]*)\.__version__\s*(==|!=|>=|<=|<|>)\s*['"]([^'"\s]+)['"])re");
    static const std::regex module_attr_reversed(
        R"re(['"]([^'"\s]+)['"]\s*(==|!=)\s*([A-Za-z_][\w.]*)\.__version__)re");
    static const std::regex metadata_call(
        R"re(version\(\s*['"]([A-Za-z0-9][\w.-]*)['"]\s*\)(?:\.version)?\s*(==|!=|>=|<=|<|>)\s*['"]([^'"\s]+)['"])re");
    static const std::regex get_distribution(
        R"re(get_distribution\(\s*['"]([A-Za-z0-9][\w.-]*)['"]\s*\)\.version\s*(==|!=|>=|<=|<|>)\s*['"]([^'"\s]+)['"])re");
    static const std::regex version_read(R"re(([A-Za-z_][\w.]*)\.__version__)re");
    static const std::regex expected_message(
        R"re([Ee]xpect(?:ed|s|ing)?\s+(?:version\s+)?v?([0-9][\w.+!-]*?)[,;]?\s+(?:but\s+)?(?:got|found|have|is))re");

    const auto& tb = context.traceback;
    // The failing statement of the script, its names followed through the
    // assignments and imports above it.
    if (const Frame* frame = script_frame(context); frame && !context.script_source.empty()) {
        const auto demand = version_demand(split_lines(context.script_source), frame->line);
        // An assert statement speaks only through an AssertionError; an if
        // guarding a raise, through whatever it raises.
        if (demand && (!demand->from_assert || tb.exception == "AssertionError")) {
            const auto distribution = demand->distribution.empty()
                                          ? distribution_for_import(demand->module)
                                          : demand->distribution;
            return Finding{
                FindingKind::version_pin, distribution + demand->specifier, demand->module, "", "",
                demand->statement};
        }
    }
    const auto window = failure_window(context);
    const bool assertion = tb.exception == "AssertionError";
    for (auto it = window.rbegin(); it != window.rend(); ++it) {
        const auto& line = *it;
        std::smatch m;
        const bool inverted = is_if_line(line);
        if (!assertion && !inverted && it != window.rbegin())
            continue;
        if (std::regex_search(line, m, metadata_call) ||
            std::regex_search(line, m, get_distribution))
            return Finding{FindingKind::version_pin,
                           m[1].str() + demanded(m[2], inverted) + m[3].str(),
                           "",
                           "",
                           "",
                           line};
        if (std::regex_search(line, m, module_attr)) {
            const auto module = top_level(m[1].str());
            return Finding{FindingKind::version_pin,
                           distribution_for_import(module) + demanded(m[2], inverted) + m[3].str(),
                           module,
                           "",
                           "",
                           line};
        }
        if (std::regex_search(line, m, module_attr_reversed)) {
            const auto module = top_level(m[3].str());
            return Finding{FindingKind::version_pin,
                           distribution_for_import(module) + demanded(m[2], inverted) + m[1].str(),
                           module,
                           "",
                           "",
                           line};
        }
    }
    // "Expected 13.4.2, got 13.7.1": the version from the message, the
    // package from the __version__ the failing lines read.
    std::smatch message;
    if (std::regex_search(tb.message, message, expected_message)) {
        for (auto it = window.rbegin(); it != window.rend(); ++it) {
            std::smatch m;
            if (std::regex_search(*it, m, version_read)) {
                const auto module = top_level(m[1].str());
                return Finding{FindingKind::version_pin,
                               distribution_for_import(module) + "==" + message[1].str(),
                               module,
                               "",
                               "",
                               tb.exception + ": " + tb.message};
            }
        }
    }
    return std::nullopt;
}

}  // namespace omni::run
