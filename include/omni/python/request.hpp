#pragma once
// What a user may type to name an interpreter: "3", "3.9", "3.9.18",
// "cpython3.12", "cpython@3.12", ">=3.10", ">=3.9,<3.12", "3.13t",
// "3.14.0rc1" (a pre-release, named after all three numbers), or a path.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/python/interpreter.hpp"
#include "omni/util/error.hpp"

namespace omni::python {

enum class BoundOp { prefix, eq, ne, ge, gt, le, lt };

// One clause: "3.9" (prefix: 3.9.*) or an operator and a version.
struct VersionBound {
    BoundOp op = BoundOp::prefix;
    std::vector<int> parts;  // 1 to 3 numbers
    // A pre-release after X.Y.Z ("3.14.0rc1"): 0 alpha, 1 beta, 2 candidate;
    // 3 when none is named. With one, the whole version is compared.
    int level = 3;
    int serial = 0;

    bool names_prerelease() const { return level != 3; }
    bool admits(const PythonVersion& version) const;
};

struct PythonRequest {
    std::string text;            // as typed
    std::string implementation;  // "" (any) or lower-case: "cpython", "pypy"
    std::vector<VersionBound> bounds;
    bool free_threaded = false;                 // "3.13t"
    std::optional<std::filesystem::path> path;  // an interpreter named by path

    static Result<PythonRequest> parse(std::string_view text);

    bool is_path() const { return path.has_value(); }
    // Whether a clause other than != names a pre-release ("3.14.0rc1",
    // ">=3.15.0b1"): only then may a download be a pre-release.
    bool names_prerelease() const;
    // Whether an interpreter satisfies the request (paths compare elsewhere).
    bool matches(const InterpreterInfo& info) const;
};

}  // namespace omni::python
