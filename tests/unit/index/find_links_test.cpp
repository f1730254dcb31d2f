#include <catch2/catch.hpp>

#include "omni/index/simple_api.hpp"
#include "omni/index/url.hpp"
#include "support/temp_dir.hpp"

using namespace omni;

TEST_CASE("a find-links directory lists its wheels and sdists") {
    test::TempDir dir;
    test::write_text(dir / "b-2.0.tar.gz", "sdist");
    test::write_text(dir / "a-1.0-py3-none-any.whl", "wheel");
    test::write_text(dir / "notes.txt", "no");
    std::filesystem::create_directories(dir / "c-1.0.whl");  // a directory is not a file
    const auto page = list_find_links_dir(dir.path());
    REQUIRE(page.files.size() == 2);
    CHECK(page.files[0].filename == "a-1.0-py3-none-any.whl");
    CHECK(page.files[0].url == path_to_file_url(dir / "a-1.0-py3-none-any.whl"));
    CHECK(page.files[0].size == std::optional<std::uint64_t>(5));
    CHECK(page.files[1].filename == "b-2.0.tar.gz");
    CHECK(files_for_project(page, "a").files.size() == 1);
}

TEST_CASE("a missing find-links directory is an io error naming it") {
    test::TempDir dir;
    try {
        list_find_links_dir(dir / "missing");
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::io);
        CHECK_THAT(e.what(), Catch::Contains("missing"));
    }
}
