#include <catch2/catch.hpp>

#include "index/names.hpp"

using namespace omni::index_detail;

TEST_CASE("the project of a distribution file name") {
    CHECK(project_of_filename("Foo_Bar-1.0-py3-none-any.whl") == "foo-bar");
    CHECK(project_of_filename("foo.bar-2.0.tar.gz") == "foo-bar");
    CHECK(project_of_filename("my-cool-pkg-1.0rc1.zip") == "my-cool-pkg");
    CHECK(project_of_filename("README.txt").empty());
    CHECK(project_of_filename("noversion.tar.gz").empty());
    CHECK(is_distribution_filename("x-1.tar.gz"));
    CHECK_FALSE(is_distribution_filename("x-1.exe"));
}
