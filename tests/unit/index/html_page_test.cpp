#include <catch2/catch.hpp>

#include "omni/index/simple_api.hpp"

using namespace omni;

namespace {
const std::string page_url = "https://example.org/simple/fixture-alpha/";

const std::string page_html = R"(<!DOCTYPE html>
<html><head><meta name="pypi:repository-version" content="1.1">
<title>Links for fixture-alpha</title></head>
<body>
<!-- a comment with <a href="nope.whl">a link</a> inside -->
<a href="../../files/fixture_alpha-1.0-py3-none-any.whl#sha256=ABCDEF01"
   data-requires-python="&gt;=3.8,&lt;4" data-core-metadata="sha256=1234">fixture_alpha-1.0-py3-none-any.whl</a><br/>
<A HREF='https://cdn.example.org/fixture_alpha-2.0.tar.gz' data-yanked="broken &quot;build&quot; &#x26; more">fixture_alpha-2.0.tar.gz</A>
<a href="fixture_alpha-3.0-py3-none-any.whl" data-yanked data-dist-info-metadata="true">x</a>
</body></html>
)";
}  // namespace

TEST_CASE("PEP 503 anchors give files with hashes and attributes") {
    const auto page = parse_project_html(page_html, page_url, "Fixture.Alpha");
    REQUIRE(page.has_value());
    CHECK(page->name == "fixture-alpha");
    CHECK(page->url == page_url);
    REQUIRE(page->files.size() == 3);

    const auto& wheel = page->files[0];
    CHECK(wheel.filename == "fixture_alpha-1.0-py3-none-any.whl");
    CHECK(wheel.url == "https://example.org/files/fixture_alpha-1.0-py3-none-any.whl");
    CHECK(wheel.sha256() == std::optional<std::string>("abcdef01"));
    CHECK(wheel.requires_python == std::optional<std::string>(">=3.8,<4"));
    CHECK_FALSE(wheel.yanked);
    CHECK(wheel.has_metadata_file);
    CHECK(wheel.metadata_hashes.at("sha256") == "1234");
    CHECK(wheel.metadata_url() ==
          "https://example.org/files/fixture_alpha-1.0-py3-none-any.whl.metadata");

    const auto& sdist = page->files[1];
    CHECK(sdist.url == "https://cdn.example.org/fixture_alpha-2.0.tar.gz");
    CHECK(sdist.hashes.empty());
    CHECK(sdist.yanked);
    CHECK(sdist.yanked_reason == "broken \"build\" & more");
    CHECK_FALSE(sdist.has_metadata_file);
    CHECK_FALSE(sdist.requires_python.has_value());

    const auto& third = page->files[2];
    CHECK(third.url ==
          "https://example.org/simple/fixture-alpha/fixture_alpha-3.0-py3-none-any.whl");
    CHECK(third.filename == "fixture_alpha-3.0-py3-none-any.whl");
    CHECK(third.yanked);
    CHECK(third.yanked_reason.empty());
    CHECK(third.has_metadata_file);
    CHECK(third.metadata_hashes.empty());
}

TEST_CASE("a base element changes where links resolve") {
    const auto page = parse_project_html(
        R"(<html><head><base href="https://mirror.example.net/pkgs/"></head>
           <a href="a-1.0.tar.gz">a-1.0.tar.gz</a></html>)",
        page_url, "a");
    REQUIRE(page.has_value());
    REQUIRE(page->files.size() == 1);
    CHECK(page->files[0].url == "https://mirror.example.net/pkgs/a-1.0.tar.gz");
}

TEST_CASE("the root page lists project names") {
    const auto list = parse_project_list_html(
        "<html><body><a href=\"alpha/\">alpha</a>\n<a href='beta/'>Beta</a></body></html>",
        "https://example.org/simple/");
    REQUIRE(list.has_value());
    CHECK(list->names == std::vector<std::string>{"alpha", "Beta"});
}

TEST_CASE("malformed HTML is an error naming the URL") {
    SECTION("unterminated tag") {
        const auto r = parse_project_html("<html><a href=\"x.whl\"", page_url, "x");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code() == ErrorCode::invalid_input);
        CHECK_THAT(r.error().what(), Catch::Contains(page_url));
        CHECK_THAT(r.error().what(), Catch::Contains("unterminated"));
    }
    SECTION("unterminated quote") {
        const auto r = parse_project_html("<a href=\"x.whl>x</a>\n", page_url, "x");
        REQUIRE_FALSE(r.has_value());
        CHECK_THAT(r.error().what(), Catch::Contains("line 1"));
    }
    SECTION("unterminated comment") {
        const auto r = parse_project_html("<html>\n<!-- <a href=x.whl>", page_url, "x");
        REQUIRE_FALSE(r.has_value());
        CHECK_THAT(r.error().what(), Catch::Contains("line 2"));
    }
    SECTION("an API version omni does not read") {
        const auto r = parse_project_html(
            "<meta name=\"pypi:repository-version\" content=\"2.0\"><a href=x.whl>x</a>", page_url,
            "x");
        REQUIRE_FALSE(r.has_value());
        CHECK_THAT(r.error().what(), Catch::Contains("2.0"));
    }
}

TEST_CASE("find-links pages keep only distributions") {
    const auto page = parse_find_links_html(
        R"(<a href="a-1.0-py3-none-any.whl">a</a> <a href="README.txt">readme</a>
           <a href="b-2.0.tar.gz#sha256=00ff">b</a> <a href="../">up</a>)",
        "file:///srv/links/index.html");
    REQUIRE(page.has_value());
    REQUIRE(page->files.size() == 2);
    CHECK(page->files[0].url == "file:///srv/links/a-1.0-py3-none-any.whl");
    CHECK(page->files[1].sha256() == std::optional<std::string>("00ff"));
    const auto only_b = files_for_project(*page, "B");
    REQUIRE(only_b.files.size() == 1);
    CHECK(only_b.files[0].filename == "b-2.0.tar.gz");
}
