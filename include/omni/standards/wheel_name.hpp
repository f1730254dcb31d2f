#pragma once
// PEP 427 wheel file names: {name}-{version}[-{build}]-{python}-{abi}-{platform}.whl
// with compressed tag sets ("py2.py3-none-any" expands to two tags).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/standards/tags.hpp"
#include "omni/standards/version.hpp"
#include "omni/util/error.hpp"

namespace omni::standards {

struct BuildTag {
    std::uint64_t number = 0;
    std::string suffix;  // text after the leading digits
    auto operator<=>(const BuildTag&) const = default;
};

struct WheelName {
    std::string name;  // PEP 503 normalized
    Version version;
    std::optional<BuildTag> build;
    std::vector<Tag> tags;  // every combination of the compressed sets, lowercase

    static Result<WheelName> parse(std::string_view filename);
};

// Expands "py2.py3-none-any" into its tags (lowercased), as packaging.tags.parse_tag.
std::vector<Tag> parse_tag_set(std::string_view text);

}  // namespace omni::standards
