#pragma once
// `--python requires-python`: the interpreters a package itself admits.
#include <string>
#include <vector>

#include "omni/index/index_client.hpp"
#include "omni/python/interpreter.hpp"

namespace omni::matrix {

struct PythonAxis {
    std::vector<std::string> pythons;  // "3.9", "3.10", ...: one per X.Y, oldest first
    // "3.9:1.2" cells to drop: that version offers nothing this interpreter
    // can install, or its Requires-Python excludes it.
    std::vector<std::string> exclude;
};

// Every X.Y among `available` (CPython with the GIL) for which at least one
// of `versions` has an installable wheel whose Requires-Python admits it.
PythonAxis requires_python_axis(const IndexClient& index, const std::string& package,
                                const std::vector<std::string>& versions,
                                const std::vector<python::InterpreterInfo>& available);

}  // namespace omni::matrix
