#pragma once
// Reading a version check the way a person does: the failing statement's
// condition is split into comparisons, and each side is followed through the
// assignments and imports of the failing frame's source until it is either
// a version literal or a package's version (importlib.metadata.version("x"),
// x.__version__, pkg_resources.get_distribution("x").version,
// packaging.version.parse(...) around either, try/except fallbacks).
#include <optional>
#include <string>
#include <vector>

namespace omni::run {

struct VersionDemand {
    std::string distribution;  // when the source named one ("rich" in version("rich"))
    std::string module;        // when it named a module (rich.__version__)
    std::string specifier;     // "==13.4.2", ">=13", "==13.4.*"
    std::string statement;     // the statement the demand was read from
    bool from_assert = false;  // an assert statement (else an if guarding a raise/exit)
};

// `lines` is the frame's source file; `failing` the 1-based line that
// failed. The statement there (and, for a `raise` or `sys.exit`, the `if`
// that guards it) is read; names are resolved through the lines above.
std::optional<VersionDemand> version_demand(const std::vector<std::string>& lines, int failing);

std::vector<std::string> split_lines(const std::string& source);

}  // namespace omni::run
