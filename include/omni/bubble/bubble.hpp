#pragma once
// One bubble: the resolved closure of one requirement for one interpreter,
// installed in its own directory (bubbles/<env-key>/<name>-<version>/) and
// described by the bubble.json inside it.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "omni/util/error.hpp"

namespace omni::bubble {

struct Distribution {
    std::string name;                       // normalized
    std::string version;                    // normalized
    std::vector<std::string> import_names;  // top-level modules and packages
    std::size_t files = 0;
    std::string wheel_sha256;
};

struct BubbleInfo {
    std::string env_key;      // "cpython-3.11"
    std::string name;         // the requirement's project, normalized
    std::string version;      // its version in this bubble
    std::string requirement;  // as asked for: "rich==13.4.2"
    // "" for the usual newest-versions closure; "lowest" when every dependency
    // was resolved to its oldest allowed version (matrix --resolution lowest).
    std::string variant;
    std::string created;  // ISO 8601, UTC
    std::vector<Distribution> distributions;
    std::filesystem::path path;  // not stored: where it was read from

    std::filesystem::path scripts_dir() const { return path / "bin"; }
};

// The bubble.json text for `info`.
std::string to_json_text(const BubbleInfo& info);
// Reads <dir>/bubble.json; the error names the file.
Result<BubbleInfo> read_bubble(const std::filesystem::path& dir);

// "<name>-<version>", plus "-<variant>" for a variant: the bubble's directory
// name. Normalized versions hold no '-', so the two kinds never collide.
std::string bubble_dir_name(std::string_view name, std::string_view version,
                            std::string_view variant = {});

}  // namespace omni::bubble
