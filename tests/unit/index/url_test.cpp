#include <catch2/catch.hpp>

#include "omni/index/url.hpp"

using namespace omni;

TEST_CASE("relative links resolve against the page URL") {
    const std::string page = "https://example.org/simple/rich/";
    CHECK(resolve_url(page, "../../files/rich-1.0.whl").value() ==
          "https://example.org/files/rich-1.0.whl");
    CHECK(resolve_url(page, "rich-1.0.whl").value() ==
          "https://example.org/simple/rich/rich-1.0.whl");
    CHECK(resolve_url(page, "/packages/x.whl").value() == "https://example.org/packages/x.whl");
    CHECK(resolve_url(page, "https://files.example.com/a/b.whl").value() ==
          "https://files.example.com/a/b.whl");
    CHECK(resolve_url("file:///srv/links/index.html", "pkg-1.0.tar.gz").value() ==
          "file:///srv/links/pkg-1.0.tar.gz");
}

TEST_CASE("a base that is not a URL is an error") {
    const auto r = resolve_url("not a url", "x.whl");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code() == ErrorCode::invalid_input);
}

TEST_CASE("fragments, hosts, file names and file URLs") {
    CHECK(split_fragment("a/b.whl#sha256=ab").first == "a/b.whl");
    CHECK(split_fragment("a/b.whl#sha256=ab").second == "sha256=ab");
    CHECK(split_fragment("a/b.whl").second.empty());
    CHECK(url_host("https://user:pw@PyPI.org:443/simple/") == "pypi.org");
    CHECK(url_host("http://[::1]:8080/x") == "::1");
    CHECK(is_loopback_host("127.0.0.1"));
    CHECK(is_loopback_host("localhost"));
    CHECK_FALSE(is_loopback_host("example.org"));
    CHECK(url_filename("https://h/p/my%20pkg-1.0.tar.gz?x=1#frag") == "my pkg-1.0.tar.gz");
    CHECK(is_file_url("file:///tmp/x"));
    CHECK_FALSE(is_file_url("https://h/x"));
    CHECK(is_plain_path("/tmp/wheels"));
    CHECK(is_plain_path("wheels"));
    CHECK_FALSE(is_plain_path("https://h/"));
    CHECK(path_to_file_url("/tmp/a b/c.whl") == "file:///tmp/a%20b/c.whl");
    CHECK(file_url_to_path("file:///tmp/a%20b/c.whl") == "/tmp/a b/c.whl");
    CHECK(file_url_to_path("file://localhost/tmp/x") == "/tmp/x");
    CHECK(with_trailing_slash("https://h/simple") == "https://h/simple/");
    CHECK(with_trailing_slash("https://h/simple/") == "https://h/simple/");
}

TEST_CASE("passwords in URLs are hidden wherever a URL is shown") {
    CHECK(redact_url("https://user:s3cret@example.org/simple/") ==
          "https://user:****@example.org/simple/");
    CHECK(redact_url("https://tok3n@example.org/simple/") == "https://****@example.org/simple/");
    CHECK(redact_url("https://example.org/a@b") == "https://example.org/a@b");
    CHECK(redact_url("file:///x/y") == "file:///x/y");
    CHECK(redact_credentials("cannot fetch http://u:p%40ss@h:8080/simple/x/: refused; also "
                             "'https://t@h2/' and https://h3/") ==
          "cannot fetch http://u:****@h:8080/simple/x/: refused; also 'https://****@h2/' and "
          "https://h3/");
    const auto split = split_credentials("http://u%20x:p%40ss@h:8080/simple/");
    CHECK(split.url == "http://h:8080/simple/");
    CHECK(split.user == "u x");
    CHECK(split.password == "p@ss");
    CHECK(split_credentials("http://h/simple/").user.empty());
}
