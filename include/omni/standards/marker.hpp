#pragma once
// PEP 508 environment markers: `python_version >= "3.8" and extra == "test"`.
// Parsing and evaluation follow the `packaging` library (22+ grammar).
#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/standards/version.hpp"
#include "omni/util/error.hpp"

namespace omni::standards {

// The values a marker can ask about (PEP 508), as an interpreter reports them.
struct MarkerEnvironment {
    std::string os_name;
    std::string sys_platform;
    std::string platform_machine;
    std::string platform_python_implementation;
    std::string platform_release;
    std::string platform_system;
    std::string platform_version;
    std::string python_version;
    std::string python_full_version;
    std::string implementation_name;
    std::string implementation_version;
    std::string extra;  // the extra being installed, "" for none

    // The value of a marker variable by its canonical name, nullopt when the
    // name is not one of the keys above.
    std::optional<std::string_view> get(std::string_view key) const;
};

namespace detail {
struct MarkerVar {
    bool is_variable = false;
    std::string value;  // variable name, or the string literal's content
};
struct MarkerItem {
    MarkerVar lhs;
    std::string op;  // "==", "in", "not in", ...
    MarkerVar rhs;
};
struct MarkerElement {
    enum class Kind { item, group, op_and, op_or } kind = Kind::item;
    MarkerItem item;
    std::vector<MarkerElement> group;
};
}  // namespace detail

class Marker {
  public:
    static Result<Marker> parse(std::string_view text);
    // The same, failures as (position, reason) for enclosing parsers.
    static std::expected<Marker, Version::Failure> parse_raw(std::string_view text);

    // Evaluates against `env`. A comparison whose operands do not both parse
    // as versions falls back to Python's string comparison; `~=`/`===` on
    // non-versions are false.
    bool evaluate(const MarkerEnvironment& env) const;

    // Canonical spelling, as packaging prints it (double quotes, single
    // spaces, extra names normalized).
    std::string to_string() const;

    // True when the marker mentions the variable `extra` anywhere.
    bool mentions_extra() const;

  private:
    std::vector<detail::MarkerElement> root_;
};

}  // namespace omni::standards
