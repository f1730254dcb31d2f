#include "omni/run/analysis.hpp"
#include "omni/run/import_resolution.hpp"

namespace omni::run {

std::string distribution_for_import(std::string_view module) {
    // The analyzers' first guess; the healer verifies it (import_resolution.hpp)
    // before anything is installed.
    if (auto known = known_distribution(module))
        return *known;
    return std::string(module);
}

}  // namespace omni::run
