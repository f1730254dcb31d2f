#pragma once
// A Python interpreter's own version (sys.version_info), not a package
// version: major.minor.micro with an optional pre-release tag.
#include <compare>
#include <string>
#include <string_view>

#include "omni/util/error.hpp"

namespace omni::python {

struct PythonVersion {
    int major = 0;
    int minor = 0;
    int micro = 0;
    // 0 alpha, 1 beta, 2 candidate, 3 final; a final release sorts last.
    int level = 3;
    int serial = 0;

    // "3.9.18", "3.13.0rc1", "3.12.0b2", "2.7.18".
    static Result<PythonVersion> parse(std::string_view text);

    std::string str() const;          // as PEP 508's python_full_version
    std::string major_minor() const;  // "3.9"
    auto operator<=>(const PythonVersion&) const = default;
};

}  // namespace omni::python
