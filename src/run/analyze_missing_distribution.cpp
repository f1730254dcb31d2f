// pkg_resources' DistributionNotFound / VersionConflict and
// importlib.metadata's PackageNotFoundError name the requirement outright.
#include <regex>

#include "run/source_window.hpp"

namespace omni::run {

namespace {
bool ends_with_name(const std::string& exception, std::string_view name) {
    return exception == name || exception.ends_with("." + std::string(name));
}
}  // namespace

std::optional<Finding> analyze_missing_distribution(const FailureContext& context) {
    static const std::regex not_found(R"re(The '([^']+)' distribution was not found)re");
    static const std::regex conflict(R"re(Requirement\.parse\('([^']+)'\))re");
    static const std::regex conflict_plain(R"re(^\(\S+ \S+ \(.*\), (\S.*)\)$)re");
    static const std::regex no_metadata(
        R"re(^(?:No package metadata was found for )?([A-Za-z0-9][\w.-]*)$)re");
    const auto& tb = context.traceback;
    const std::string evidence = tb.exception + ": " + tb.message;
    std::smatch m;
    if (ends_with_name(tb.exception, "DistributionNotFound") &&
        std::regex_search(tb.message, m, not_found))
        return Finding{FindingKind::missing_distribution, m[1].str(), "", "", "", evidence};
    if (ends_with_name(tb.exception, "VersionConflict") ||
        ends_with_name(tb.exception, "ContextualVersionConflict")) {
        if (std::regex_search(tb.message, m, conflict) ||
            std::regex_search(tb.message, m, conflict_plain))
            return Finding{FindingKind::missing_distribution, m[1].str(), "", "", "", evidence};
    }
    if (ends_with_name(tb.exception, "PackageNotFoundError") &&
        std::regex_search(tb.message, m, no_metadata))
        return Finding{FindingKind::missing_distribution, m[1].str(), "", "", "", evidence};
    return std::nullopt;
}

}  // namespace omni::run
