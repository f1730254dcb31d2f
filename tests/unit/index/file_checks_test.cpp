#include <catch2/catch.hpp>

#include "index/file_checks.hpp"

using namespace omni;
using namespace omni::index_detail;

namespace {

const std::string good_sha(64, 'a');

DistFile file(std::string name, std::string sha = good_sha) {
    DistFile f;
    f.filename = std::move(name);
    f.url = "https://example.org/files/" + f.filename;
    if (!sha.empty())
        f.hashes["sha256"] = std::move(sha);
    return f;
}

}  // namespace

TEST_CASE("file names that are not plain names are refused") {
    CHECK_FALSE(file_name_problem("rich-13.0-py3-none-any.whl"));
    CHECK_FALSE(file_name_problem("rich-13.0+local.1.tar.gz"));
    for (const std::string& bad :
         std::vector<std::string>{"", "../rich-13.0-py3-none-any.whl", "a/b.whl", "a\\b.whl",
                                  "rich..whl", "rich-1.0%2F..%2Fx.whl", ".hidden-1.0.tar.gz",
                                  "-x-1.0.tar.gz", std::string("rich-1.0\0-py3-none-any.whl", 26),
                                  "rich-1.0\n.whl", std::string(300, 'a') + ".whl"}) {
        INFO(bad);
        CHECK(file_name_problem(bad).has_value());
    }
}

TEST_CASE("a file is used only as a distribution of the page's own project") {
    CHECK_FALSE(dist_file_problem(file("Rich-13.0-py3-none-any.whl"), "rich"));
    CHECK_FALSE(dist_file_problem(file("my_pkg-2.0.tar.gz"), "my-pkg"));
    CHECK_THAT(*dist_file_problem(file("colorama-0.4-py3-none-any.whl"), "rich"),
               Catch::Contains("'colorama', not of 'rich'"));
    CHECK(dist_file_problem(file("colorama-0.4.tar.gz"), "rich"));
    CHECK(dist_file_problem(file("rich-notaversion.tar.gz"), "rich"));
    CHECK(dist_file_problem(file("rich-13.0.exe"), "rich"));
    CHECK(dist_file_problem(file("rich-13.0-py3-none.whl"), "rich"));
}

TEST_CASE("files with malformed hashes are dropped with the reason, unknown algorithms vanish") {
    ProjectPage page;
    page.files = {file("rich-1.0-py3-none-any.whl"),
                  file("rich-2.0-py3-none-any.whl", "../../../sentinel"),
                  file("rich-3.0-py3-none-any.whl", std::string(63, 'a')),
                  file("rich-4.0-py3-none-any.whl", std::string(64, 'G')),
                  file("rich-5.0-py3-none-any.whl"),
                  file("../x-1.0-py3-none-any.whl")};
    page.files[0].hashes["whirlpool"] = "../../x";
    page.files[4].metadata_hashes["sha256"] = "../x";
    const auto skipped = drop_unusable_files(page, "rich");
    REQUIRE(page.files.size() == 1);
    CHECK(page.files[0].filename == "rich-1.0-py3-none-any.whl");
    CHECK(page.files[0].hashes.size() == 1);  // whirlpool is gone
    REQUIRE(skipped.size() == 5);
    CHECK(skipped[0].filename == "rich-2.0-py3-none-any.whl");
    CHECK_THAT(skipped[0].reason, Catch::Contains("sha256 value is not 64 hex digits"));
    CHECK_THAT(skipped[3].reason, Catch::Contains("metadata hash"));
    CHECK_THAT(skipped[4].reason, Catch::Contains("path separator"));
}

TEST_CASE("files are fetched over http and https, file:// only from a local page") {
    CHECK_FALSE(url_scheme_problem("https://h/x.whl", false));
    CHECK_FALSE(url_scheme_problem("HTTP://h/x.whl", false));
    CHECK_FALSE(url_scheme_problem("file:///srv/x.whl", true));
    CHECK_THAT(*url_scheme_problem("file:///etc/passwd", false), Catch::Contains("file://"));
    CHECK_THAT(*url_scheme_problem("gopher://127.0.0.1:25/x", false), Catch::Contains("'gopher'"));
    CHECK(url_scheme_problem("dict://127.0.0.1:11211/x", true));
    CHECK(url_scheme_problem("x:/etc/passwd", true));
    ProjectPage page;
    page.url = "https://example.org/simple/rich/";
    page.files = {file("rich-1.0-py3-none-any.whl"), file("rich-2.0-py3-none-any.whl")};
    page.files[1].url = "file:///etc/rich-2.0-py3-none-any.whl";
    CHECK(drop_unusable_files(page, "rich").size() == 1);
    CHECK(page.files.size() == 1);
}
