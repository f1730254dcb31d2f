#include <catch2/catch.hpp>

#include "omni/resolve/requirements_file.hpp"
#include "omni/util/error.hpp"
#include "support/temp_dir.hpp"

using namespace omni;

TEST_CASE("requirements files: comments, continuations, includes and constraints") {
    test::TempDir dir;
    test::write_text(dir / "base.txt",
                     "# base\nrich==13.4.2  # pinned\nclick>=8 \\\n  ,<9\n\n-c constraints.txt\n");
    test::write_text(dir / "constraints.txt", "urllib3<2\n");
    test::write_text(dir / "req.txt", "-r base.txt\nnumpy<2 ; python_version < '3.12'\n");
    const auto file = resolve::read_requirements_file(dir / "req.txt");
    CHECK(file.requirements == std::vector<std::string>{"rich==13.4.2", "click>=8 ,<9",
                                                        "numpy<2 ; python_version < '3.12'"});
    CHECK(file.constraints == std::vector<std::string>{"urllib3<2"});
}

TEST_CASE("requirements files: bad lines name the file and line") {
    test::TempDir dir;
    test::write_text(dir / "bad.txt", "rich\nnot a requirement!!\n");
    CHECK_THROWS_WITH(resolve::read_requirements_file(dir / "bad.txt"),
                      Catch::Contains("bad.txt:2"));
    test::write_text(dir / "opt.txt", "--extra-index-url http://x\n");
    CHECK_THROWS_WITH(resolve::read_requirements_file(dir / "opt.txt"),
                      Catch::Contains("not supported"));
    test::write_text(dir / "loop.txt", "-r loop.txt\n");
    CHECK_THROWS_WITH(resolve::read_requirements_file(dir / "loop.txt"),
                      Catch::Contains("includes itself"));
    CHECK_THROWS_AS(resolve::read_requirements_file(dir / "missing.txt"), Error);
}
