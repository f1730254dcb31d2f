#pragma once
// Resolving for another target than the interpreter at hand, as pip's
// --python-version, --implementation and --platform do (with --dry-run or
// --target, wheels only): the interpreter's facts with those replaced, so
// markers, Requires-Python and wheel tags are judged for the target.
#include <string>

#include "omni/python/interpreter.hpp"

namespace omni::resolve {

struct TargetOverrides {
    std::string python_version;  // "3.9" or "3.9.18"
    std::string implementation;  // "cp" or "pp" (pip's spelling), or "cpython"/"pypy"
    std::string platform;        // a Linux wheel platform: "manylinux2014_x86_64",
                                 // "manylinux_2_17_aarch64", "linux_x86_64"
    bool empty() const {
        return python_version.empty() && implementation.empty() && platform.empty();
    }
};

// Throws Error(invalid_input) naming the option for a value omni cannot
// take (a platform other than Linux, a version that does not parse).
python::InterpreterInfo with_overrides(python::InterpreterInfo info,
                                       const TargetOverrides& overrides);

}  // namespace omni::resolve
