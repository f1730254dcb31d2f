#pragma once
// PEP 723 inline script metadata: the `# /// script` comment block of a
// Python script, with its TOML content.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/standards/requirement.hpp"
#include "omni/standards/specifier.hpp"
#include "omni/util/error.hpp"

namespace omni::standards {

struct ScriptMetadata {
    std::vector<Requirement> dependencies;
    std::optional<SpecifierSet> requires_python;
    std::string tool_toml;  // the [tool] table re-serialized as TOML, "" when absent
    std::string toml;       // the block's TOML text, comment markers removed

    // Finds the `script` block (PEP 723's reference regex semantics) and
    // parses it. nullopt when the script has none; an error for two blocks,
    // bad TOML, or a bad dependency, pointing into the script.
    static Result<std::optional<ScriptMetadata>> parse(std::string_view script);
};

// The raw TOML of the block of the given type ("script"), nullopt when absent;
// an error when the block appears twice.
Result<std::optional<std::string>> extract_script_block(std::string_view script,
                                                        std::string_view type = "script");

}  // namespace omni::standards
