#include <catch2/catch.hpp>

#include "index/fixture_server.hpp"
#include "omni/index/http_client.hpp"
#include "omni/index/index_client.hpp"
#include "omni/index/simple_api.hpp"
#include "support/temp_dir.hpp"

using namespace omni;

namespace {

const char* spec = R"({"packages": [
  {"name": "Alpha", "version": "1.0", "requires": ["beta>=1"], "requires_python": ">=3.6,<4"},
  {"name": "Alpha", "version": "2.0", "yanked": "broken <build>"},
  {"name": "beta", "version": "1.5"}]})";

IndexOptions loopback(const test::FixtureServer& server) {
    IndexOptions options;
    options.index_url = server.url("/simple/");
    options.transport.backoff = std::chrono::milliseconds(20);
    return options;
}

}  // namespace

TEST_CASE("JSON and HTML pages of the fixture index give the same ProjectPage") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--spec-json", spec, "--metadata-files"});
    test::FixtureServer server(dir / "index");
    HttpClient client;
    const auto url = server.url("/simple/alpha/");
    HttpRequest json_request;
    json_request.url = url;
    json_request.accept = simple_json_type;
    HttpRequest html_request;
    html_request.url = url;
    html_request.accept = "text/html";
    const auto json_response = client.get(json_request);
    const auto html_response = client.get(html_request);
    REQUIRE(json_response.status == 200);
    REQUIRE(html_response.status == 200);
    CHECK(json_response.content_type == simple_json_type);
    CHECK_THAT(html_response.content_type, Catch::StartsWith("text/html"));
    auto from_json =
        parse_project_page(json_response.body, json_response.content_type, url, "alpha");
    const auto from_html =
        parse_project_page(html_response.body, html_response.content_type, url, "alpha");
    REQUIRE(from_json.has_value());
    REQUIRE(from_html.has_value());
    for (auto& f : from_json->files)
        f.size.reset();  // only JSON carries sizes
    CHECK(*from_json == *from_html);
    REQUIRE(from_html->files.size() == 2);
    CHECK(from_html->files[0].requires_python == std::optional<std::string>(">=3.6,<4"));
    CHECK(from_html->files[1].yanked_reason == "broken <build>");
    CHECK(from_html->files[0].url == server.url("/files/alpha-1.0-py3-none-any.whl"));
}

TEST_CASE("metadata comes from the .metadata file without touching the wheel") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--spec-json", spec, "--metadata-files"});
    test::FixtureServer server(dir / "index");
    IndexClient client(Home(dir / "home"), loopback(server));
    const auto page = client.project_page("ALPHA");
    REQUIRE(page.files.size() == 2);
    REQUIRE(page.files[0].has_metadata_file);
    const auto metadata = client.fetch_metadata(page.files[0]);
    CHECK_THAT(metadata, Catch::Contains("Requires-Dist: beta>=1"));
    CHECK(server.count(".whl.metadata") == 1);
    CHECK(server.bytes("alpha-1.0-py3-none-any.whl.metadata") == metadata.size());
    for (const auto& r : server.requests())  // the wheel itself was never asked for
        CHECK_FALSE(r["path"].get<std::string>().ends_with(".whl"));
    // Second time: from the metadata cache, no request.
    CHECK(client.fetch_metadata(page.files[0]) == metadata);
    CHECK(server.count(".whl.metadata") == 1);
}

TEST_CASE("without .metadata files the METADATA comes from Range reads of the wheel") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--spec-json", spec, "--padding", "0"});
    test::make_index(dir / "big", {"--count", "1", "--padding", "300000"});
    test::FixtureServer server(dir / "big");
    IndexClient client(Home(dir / "home"), loopback(server));
    const auto page = client.project_page("bench000");
    REQUIRE(page.files.size() == 1);
    CHECK_FALSE(page.files[0].has_metadata_file);
    const auto metadata = client.fetch_metadata(page.files[0]);
    CHECK_THAT(metadata, Catch::Contains("Name: bench000"));
    std::size_t ranged = 0;
    for (const auto& r : server.requests())
        if (r["path"].get<std::string>().ends_with(".whl")) {
            CHECK(r["status"] == 206);
            CHECK_FALSE(r["range"].is_null());
            ranged += r["bytes"].get<std::size_t>();
        }
    CHECK(ranged > 0);
    CHECK(ranged < 100000);  // far less than the 300 kB wheel
}

TEST_CASE("a server without Range support gives the metadata from the whole wheel") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--spec-json", spec});
    test::FixtureServer server(dir / "index", {"--no-range"});
    IndexClient client(Home(dir / "home"), loopback(server));
    const auto page = client.project_page("beta");
    REQUIRE(page.files.size() == 1);
    CHECK_THAT(client.fetch_metadata(page.files[0]), Catch::Contains("Version: 1.5"));
}

TEST_CASE("index pages are revalidated with If-None-Match and a 304 reuses the cache") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--spec-json", spec});
    test::FixtureServer server(dir / "index");
    IndexClient client(Home(dir / "home"), loopback(server));
    const auto first = client.project_page("alpha");
    const auto second = client.project_page("alpha");
    CHECK(first == second);
    const auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0]["status"] == 200);
    CHECK(requests[0]["if_none_match"].is_null());
    CHECK(requests[1]["status"] == 304);
    CHECK_FALSE(requests[1]["if_none_match"].is_null());
    CHECK(requests[1]["bytes"] == 0);

    // Offline: the cached page, no request; an unknown project is a clear error.
    auto offline = loopback(server);
    offline.offline = true;
    IndexClient offline_client(Home(dir / "home"), offline);
    CHECK(offline_client.project_page("alpha") == first);
    CHECK(server.requests().size() == 2);
    try {
        offline_client.project_page("beta");
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::not_found);
        CHECK_THAT(e.what(), Catch::Contains("offline"));
    }
}

TEST_CASE("index, extra index and find-links sources merge into one page") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "one", {"--pkg", "gamma==1.0"});
    test::make_index(dir / "two", {"--pkg", "gamma==2.0", "--pkg", "other==1.0"});
    test::make_index(dir / "links", {"--pkg", "gamma==3.0", "--pkg", "other==2.0", "--flat"});
    test::make_index(dir / "page", {"--pkg", "gamma==4.0", "--flat"});
    test::FixtureServer one(dir / "one");
    test::FixtureServer two(dir / "two");
    test::FixtureServer page_server(dir / "page");
    auto options = loopback(one);
    options.extra_index_urls = {two.url("/simple")};
    options.find_links = {(dir / "links").string(), page_server.url("/")};
    IndexClient client(Home(dir / "home"), options);
    const auto page = client.project_page("gamma");
    std::vector<std::string> names;
    for (const auto& f : page.files)
        names.push_back(f.filename);
    CHECK(names ==
          std::vector<std::string>{"gamma-1.0-py3-none-any.whl", "gamma-2.0-py3-none-any.whl",
                                   "gamma-3.0-py3-none-any.whl", "gamma-4.0-py3-none-any.whl"});
    CHECK(page.files[3].url == page_server.url("/gamma-4.0-py3-none-any.whl"));
    CHECK(client.project_page("missing").files.empty());

    auto no_index = options;
    no_index.no_index = true;
    no_index.find_links = {"file://" + (dir / "links").string()};
    const auto local = IndexClient(Home(dir / "home2"), no_index).project_page("gamma");
    REQUIRE(local.files.size() == 1);
    const auto wheel = IndexClient(Home(dir / "home2"), no_index).fetch_wheel(local.files[0]);
    CHECK(std::filesystem::exists(wheel));
    CHECK_THAT(IndexClient(Home(dir / "home2"), no_index).fetch_metadata(local.files[0]),
               Catch::Contains("Version: 3.0"));
}
