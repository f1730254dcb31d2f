#pragma once
// PEP 508 dependency specifiers: `name[extra1,extra2] >=1.0,<2 ; marker` or
// `name[extras] @ URL ; marker`, parsed with packaging's (22+) grammar.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/standards/marker.hpp"
#include "omni/standards/specifier.hpp"
#include "omni/util/error.hpp"

namespace omni::standards {

struct Requirement {
    std::string name;                 // as written
    std::vector<std::string> extras;  // as written, sorted, unique
    SpecifierSet specifier;
    std::string url;  // empty unless `@ URL`
    std::optional<Marker> marker;

    static Result<Requirement> parse(std::string_view text);

    // PEP 503 normalized name.
    std::string normalized_name() const;

    // packaging's str(Requirement): "name[a,b]<2,>=1@ url ; marker".
    std::string to_string() const;

    // Does the requirement apply in `env`? (No marker: always.)
    bool applies(const MarkerEnvironment& env) const { return !marker || marker->evaluate(env); }
};

}  // namespace omni::standards
