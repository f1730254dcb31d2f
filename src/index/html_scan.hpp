#pragma once
// A small, strict-enough scanner for the HTML of simple index pages: it finds
// <a> anchors (attributes unescaped, text), <base href> and the
// pypi:repository-version <meta>. Everything else is skipped. An unterminated
// tag, quote or comment is an error naming the page.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/util/error.hpp"

namespace omni::index_detail {

struct HtmlAnchor {
    std::map<std::string, std::string> attributes;  // lower-case name -> unescaped value
    std::string text;                               // unescaped, trimmed
    std::size_t position = 0;                       // offset of '<a' in the page
};

struct HtmlDocument {
    std::vector<HtmlAnchor> anchors;
    std::optional<std::string> base_href;
    std::optional<std::string> repository_version;
};

Result<HtmlDocument> scan_html(std::string_view text, std::string_view url);

// &amp; &lt; &gt; &quot; &apos; &#39; &#x27; ... ; unknown entities stay as they are.
std::string decode_entities(std::string_view text);

}  // namespace omni::index_detail
