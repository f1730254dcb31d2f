#pragma once
// Pieces shared by the HTML and JSON page parsers.
#include <map>
#include <string>
#include <string_view>

#include "omni/index/project_page.hpp"
#include "omni/util/error.hpp"

namespace omni::index_detail {

// "sha256=ABC" -> {"sha256": "abc"}; empty map for anything else.
std::map<std::string, std::string> parse_hash_fragment(std::string_view fragment);

// PEP 629: major version 1 is understood; anything else is an error.
Result<void> check_api_version(std::string_view version, std::string_view url);

// Resolves `href` against the page, splitting off its hash fragment.
Result<DistFile> file_from_link(std::string_view page_url, std::string_view href);

}  // namespace omni::index_detail
