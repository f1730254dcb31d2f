#include "omni/run/analysis.hpp"

#include <algorithm>

namespace omni::run {

std::string_view to_string(FindingKind kind) {
    switch (kind) {
        case FindingKind::version_pin:
            return "version pin";
        case FindingKind::missing_module:
            return "missing module";
        case FindingKind::missing_distribution:
            return "missing distribution";
        case FindingKind::binary_incompatible:
            return "binary incompatible";
        case FindingKind::missing_name:
            return "missing name";
        case FindingKind::broken_install:
            return "broken install";
        case FindingKind::python_version:
            return "python version";
    }
    return "unknown";
}

std::vector<Finding> analyze(const FailureContext& context) {
    using Analyzer = std::optional<Finding> (*)(const FailureContext&);
    static constexpr Analyzer analyzers[] = {
        analyze_binary_incompatible, analyze_version_assertion, analyze_missing_distribution,
        analyze_missing_module,      analyze_missing_name,      analyze_broken_install,
        analyze_python_version,
    };
    std::vector<Finding> findings;
    for (const auto analyzer : analyzers) {
        auto finding = analyzer(context);
        if (finding && std::find(findings.begin(), findings.end(), *finding) == findings.end())
            findings.push_back(std::move(*finding));
    }
    return findings;
}

}  // namespace omni::run
