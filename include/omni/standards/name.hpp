#pragma once
// PEP 503 project names: normalization and validation.
#include <string>
#include <string_view>

#include "omni/util/error.hpp"

namespace omni::standards {

// Runs of '-', '_' and '.' become one '-', letters are lowercased:
// "Foo.Bar_baz" -> "foo-bar-baz". Does not validate.
std::string normalize_name(std::string_view name);

// True for a valid project name: ASCII letters and digits, with '.', '_' and
// '-' allowed inside but not at either end.
bool is_valid_name(std::string_view name) noexcept;

// True when the two names normalize to the same string (no allocation).
bool names_equal(std::string_view a, std::string_view b) noexcept;

// Validates and normalizes; the error points at the offending character.
Result<std::string> parse_name(std::string_view name);

}  // namespace omni::standards
