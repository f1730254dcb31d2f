#pragma once
// pip's requirements files: one requirement a line, `#` comments, `\`
// continuations, `-r FILE` includes and `-c FILE` constraints (relative to
// the including file).
#include <filesystem>
#include <string>
#include <vector>

namespace omni::resolve {

struct RequirementsFile {
    std::vector<std::string> requirements;
    std::vector<std::string> constraints;
};

// Throws Error naming the file and line for what it cannot take.
RequirementsFile read_requirements_file(const std::filesystem::path& path);

}  // namespace omni::resolve
