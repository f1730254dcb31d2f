#pragma once
// Turning a failed run into requirements: a table of small analyzers, each
// reading the traceback (and the script's own source) for one kind of
// failure that a different package version or interpreter would fix.
#include <optional>
#include <string>
#include <vector>

#include "omni/run/traceback.hpp"

namespace omni::run {

enum class FindingKind {
    version_pin,           // the script wants another version: requirement "rich==13.4.2"
    missing_module,        // an import failed: module "yaml", requirement "PyYAML"
    missing_distribution,  // metadata lookup failed: requirement "rich==13.4.2"
    binary_incompatible,   // NumPy 1.x/2.x: requirement "numpy<2"
    missing_name,          // `from pkg import X` failed: module "pkg", name "X"
    broken_install,        // a compiled module does not load: module "pkg"
    python_version,        // needs another interpreter: python ">=3.10"
};

std::string_view to_string(FindingKind kind);

struct Finding {
    FindingKind kind;
    std::string requirement;  // a PEP 508 requirement, when the kind has one
    std::string module;       // the import name involved, when there is one
    std::string name;         // missing_name: the attribute that was missing
    std::string python;       // python_version: a specifier the interpreter must meet
    std::string evidence;     // the line that shows it

    bool operator==(const Finding&) const = default;
};

struct FailureContext {
    Traceback traceback;
    std::string stderr_tail;    // what the script printed last on stderr
    std::string script_source;  // empty when not a file omni can read
    std::string script_path;
};

// Every analyzer in turn; findings in analyzer order, without duplicates.
std::vector<Finding> analyze(const FailureContext& context);

// The analyzers, exposed to be tested one by one.
std::optional<Finding> analyze_version_assertion(const FailureContext& context);
std::optional<Finding> analyze_missing_module(const FailureContext& context);
std::optional<Finding> analyze_missing_distribution(const FailureContext& context);
std::optional<Finding> analyze_binary_incompatible(const FailureContext& context);
std::optional<Finding> analyze_missing_name(const FailureContext& context);
std::optional<Finding> analyze_broken_install(const FailureContext& context);
std::optional<Finding> analyze_python_version(const FailureContext& context);

// The distribution that usually provides an import name: the well-known
// mismatches (yaml -> PyYAML, cv2 -> opencv-python, PIL -> Pillow, ...),
// else the name itself.
std::string distribution_for_import(std::string_view top_level_module);

}  // namespace omni::run
