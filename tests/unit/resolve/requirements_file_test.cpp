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
    test::write_text(dir / "opt.txt", "--trusted-host x\n");
    CHECK_THROWS_WITH(resolve::read_requirements_file(dir / "opt.txt"),
                      Catch::Contains("opt.txt:1") && Catch::Contains("not supported"));
    test::write_text(dir / "hash.txt", "rich==13.4.2 --hash=md5:abc\n");
    CHECK_THROWS_WITH(resolve::read_requirements_file(dir / "hash.txt"),
                      Catch::Contains("hash.txt:1") && Catch::Contains("sha256"));
    test::write_text(dir / "after.txt", "rich==13.4.2 --pre\n");
    CHECK_THROWS_WITH(resolve::read_requirements_file(dir / "after.txt"),
                      Catch::Contains("only --hash options"));
    test::write_text(dir / "novalue.txt", "--index-url\n");
    CHECK_THROWS_WITH(resolve::read_requirements_file(dir / "novalue.txt"),
                      Catch::Contains("needs a value"));
    test::write_text(dir / "loop.txt", "-r loop.txt\n");
    CHECK_THROWS_WITH(resolve::read_requirements_file(dir / "loop.txt"),
                      Catch::Contains("includes itself"));
    CHECK_THROWS_AS(resolve::read_requirements_file(dir / "missing.txt"), Error);
}

TEST_CASE("requirements files: the lines pip takes besides requirements") {
    test::TempDir dir;
    const std::string h1(64, 'a'), h2(64, 'b');
    test::write_text(dir / "links" / "keep", "");
    test::write_text(dir / "req.txt",
                     "--index-url http://127.0.0.1:1/simple\n"
                     "--extra-index-url=http://127.0.0.1:2/simple\n"
                     "-f links\n--no-index\n--pre\n--no-binary :all:\n--only-binary=A_b,c\n"
                     "--prefer-binary\n"
                     "-e ./proj[dev]\n./other\nwheels/x-1.0-py3-none-any.whl\n"
                     "Rich==13.4.2 --hash=sha256:" +
                         h1 + " \\\n    --hash sha256:" + h2 +
                         "\n"
                         "name @ https://127.0.0.1:1/name-1.0-py3-none-any.whl\n");
    const auto f = resolve::read_requirements_file(dir / "req.txt");
    CHECK(f.index_url == "http://127.0.0.1:1/simple");
    CHECK(f.extra_index_urls == std::vector<std::string>{"http://127.0.0.1:2/simple"});
    CHECK(f.find_links == std::vector<std::string>{(dir / "links").string()});
    CHECK(f.no_index);
    CHECK(f.pre);
    CHECK(f.no_binary == std::vector<std::string>{":all:"});
    CHECK(f.only_binary == std::vector<std::string>{"a-b", "c"});
    CHECK(f.editables == std::vector<std::string>{(dir / "proj[dev]").string()});
    CHECK(f.local == std::vector<std::string>{(dir / "other").string(),
                                              (dir / "wheels/x-1.0-py3-none-any.whl").string()});
    CHECK(f.requirements ==
          std::vector<std::string>{"Rich==13.4.2",
                                   "name @ https://127.0.0.1:1/name-1.0-py3-none-any.whl"});
    CHECK(f.hashes.at("rich") == std::vector<std::string>{"sha256:" + h1, "sha256:" + h2});
}

TEST_CASE("requirements files: what counts as a local path") {
    for (const char* local : {".", "./x", "../x", "/abs/x", "x/", "./x[dev]",
                              "x-1.0-py3-none-any.whl", "pkg-1.0.tar.gz", "d/pkg-1.0.zip"})
        CHECK(resolve::looks_like_local_path(local));
    for (const char* not_local : {"rich", "rich[jupyter]>=13", "x @ file:///tmp/x", "x>=1.0",
                                  "https://h/x-1.0-py3-none-any.whl"})
        CHECK_FALSE(resolve::looks_like_local_path(not_local));
}
