#pragma once
// Core metadata (METADATA / PKG-INFO), versions 1.0 to 2.4: RFC 822 style
// headers as Python's email parser reads them, then the body as description.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "omni/standards/requirement.hpp"
#include "omni/standards/specifier.hpp"
#include "omni/standards/version.hpp"
#include "omni/util/error.hpp"

namespace omni::standards {

struct CoreMetadata {
    std::string metadata_version;  // "1.0" ... "2.4"
    std::string name;              // as written
    Version version = Version::zero();
    std::string summary;
    std::string description;  // the Description header, or the body
    std::string description_content_type;
    std::string keywords;
    std::string home_page;
    std::string author;
    std::string author_email;
    std::string maintainer;
    std::string maintainer_email;
    std::string license;
    std::string license_expression;
    std::optional<SpecifierSet> requires_python;
    std::vector<Requirement> requires_dist;
    std::vector<std::string> provides_extra;
    std::vector<std::string> classifiers;
    std::vector<std::pair<std::string, std::string>> project_urls;  // label, URL
    std::vector<std::string> platforms;
    std::vector<std::string> dynamic;
    std::vector<std::string> license_files;
    // Every header as read (name as written, value unfolded), in order.
    std::vector<std::pair<std::string, std::string>> headers;

    // Parses the text of a METADATA or PKG-INFO file. Name, Version and
    // Metadata-Version are required; a bad Requires-Dist names its line.
    static Result<CoreMetadata> parse(std::string_view text);

    // The Requires-Dist entries that apply in `env` with the given extras
    // active ("" or none for the base requirements).
    std::vector<Requirement> requirements_for(const MarkerEnvironment& env,
                                              const std::vector<std::string>& extras = {}) const;
};

}  // namespace omni::standards
