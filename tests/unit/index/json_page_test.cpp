#include <catch2/catch.hpp>

#include "omni/index/simple_api.hpp"

using namespace omni;

namespace {
const std::string page_url = "https://example.org/simple/fixture-alpha/";

const std::string page_json = R"({
  "meta": {"api-version": "1.1"},
  "name": "fixture-alpha",
  "files": [
    {"filename": "fixture_alpha-1.0-py3-none-any.whl",
     "url": "../../files/fixture_alpha-1.0-py3-none-any.whl",
     "hashes": {"sha256": "ABCDEF01"}, "requires-python": ">=3.8,<4",
     "core-metadata": {"sha256": "1234"}, "dist-info-metadata": {"sha256": "1234"},
     "yanked": false, "size": 2048},
    {"filename": "fixture_alpha-2.0.tar.gz",
     "url": "https://cdn.example.org/fixture_alpha-2.0.tar.gz",
     "hashes": {}, "requires-python": null, "yanked": "broken \"build\" & more"},
    {"filename": "fixture_alpha-3.0-py3-none-any.whl",
     "url": "fixture_alpha-3.0-py3-none-any.whl", "hashes": {},
     "yanked": true, "dist-info-metadata": true}
  ]
})";

const std::string same_page_html = R"(<html><body>
<a href="../../files/fixture_alpha-1.0-py3-none-any.whl#sha256=abcdef01"
   data-requires-python="&gt;=3.8,&lt;4" data-core-metadata="sha256=1234">x</a>
<a href="https://cdn.example.org/fixture_alpha-2.0.tar.gz" data-yanked="broken &quot;build&quot; &amp; more">y</a>
<a href="fixture_alpha-3.0-py3-none-any.whl" data-yanked data-dist-info-metadata="true">z</a>
</body></html>)";
}  // namespace

TEST_CASE("PEP 691 files parse with hashes, yanked and metadata") {
    const auto page = parse_project_json(page_json, page_url, "fixture_alpha");
    REQUIRE(page.has_value());
    CHECK(page->name == "fixture-alpha");
    REQUIRE(page->files.size() == 3);
    CHECK(page->files[0].url == "https://example.org/files/fixture_alpha-1.0-py3-none-any.whl");
    CHECK(page->files[0].sha256() == std::optional<std::string>("abcdef01"));
    CHECK(page->files[0].size == std::optional<std::uint64_t>(2048));
    CHECK(page->files[0].has_metadata_file);
    CHECK(page->files[1].yanked);
    CHECK(page->files[1].yanked_reason == "broken \"build\" & more");
    CHECK(page->files[2].yanked);
    CHECK(page->files[2].has_metadata_file);
}

TEST_CASE("the JSON and HTML forms of one page are the same ProjectPage") {
    auto from_json = parse_project_json(page_json, page_url, "fixture-alpha");
    const auto from_html = parse_project_html(same_page_html, page_url, "fixture-alpha");
    REQUIRE(from_json.has_value());
    REQUIRE(from_html.has_value());
    from_json->files[0].size.reset();  // HTML pages do not carry sizes
    CHECK(*from_json == *from_html);
}

TEST_CASE("content type picks the parser") {
    const auto page =
        parse_project_page(page_json, "application/vnd.pypi.simple.v1+json", page_url, "x");
    REQUIRE(page.has_value());
    CHECK(page->files.size() == 3);
}

TEST_CASE("the root JSON page lists projects") {
    const auto list = parse_project_list_json(
        R"({"meta": {"api-version": "1.0"}, "projects": [{"name": "alpha"}, {"name": "Beta"}]})",
        "https://example.org/simple/");
    REQUIRE(list.has_value());
    CHECK(list->names == std::vector<std::string>{"alpha", "Beta"});
}

TEST_CASE("malformed JSON pages are errors naming the URL") {
    const auto fails_with = [](const std::string& text, const std::string& needle) {
        const auto r = parse_project_json(text, page_url, "x");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code() == ErrorCode::invalid_input);
        CHECK_THAT(r.error().what(), Catch::Contains(page_url));
        CHECK_THAT(r.error().what(), Catch::Contains(needle));
    };
    fails_with("{\"meta\": {\"api-version\": \"1.0\"}, \"files\": [", "not valid JSON");
    fails_with("[]", "not an object");
    fails_with(R"({"files": []})", "api-version");
    fails_with(R"({"meta": {"api-version": "2.0"}, "files": []})", "not supported");
    fails_with(R"({"meta": {"api-version": "1.0"}})", "files");
    fails_with(R"({"meta": {"api-version": "1.0"}, "files": [{"url": "x.whl"}]})",
               "files[0].filename");
    fails_with(R"({"meta": {"api-version": "1.0"}, "files": [{"filename": "x.whl", "url": 3}]})",
               "files[0].url");
    fails_with(
        R"({"meta": {"api-version": "1.0"}, "files": [{"filename": "x.whl", "url": "x.whl", "yanked": 1}]})",
        "yanked");
    fails_with(
        R"({"meta": {"api-version": "1.0"}, "files": [{"filename": "x.whl", "url": "x.whl", "hashes": []}]})",
        "hashes");
}
