#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <thread>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

TEST_CASE("atomic_write replaces a file and leaves no temp file") {
    test::TempDir dir;
    fs::atomic_write(dir / "a.txt", "one");
    CHECK(fs::read_file(dir / "a.txt") == "one");
    fs::atomic_write(dir / "a.txt", "two");
    CHECK(fs::read_file(dir / "a.txt") == "two");
    CHECK(std::distance(stdfs::directory_iterator(dir.path()), stdfs::directory_iterator()) == 1);
}

TEST_CASE("atomic_write into a missing directory fails and names the path") {
    test::TempDir dir;
    try {
        fs::atomic_write(dir / "no" / "a.txt", "x");
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::io);
        CHECK_THAT(e.what(), Catch::Contains((dir / "no").string()));
    }
}

TEST_CASE("concurrent readers never see a torn file") {
    test::TempDir dir;
    const std::string a(100000, 'a'), b(100000, 'b');
    fs::atomic_write(dir / "f", a);
    std::atomic<bool> stop{false};
    std::atomic<int> torn{0};
    std::thread reader([&] {
        while (!stop) {
            const auto text = fs::read_file(dir / "f");
            if (text != a && text != b)
                ++torn;
        }
    });
    for (int i = 0; i < 200; ++i)
        fs::atomic_write(dir / "f", i % 2 ? a : b);
    stop = true;
    reader.join();
    CHECK(torn == 0);
}

TEST_CASE("publish_directory: the first copy wins and the second is removed") {
    test::TempDir dir;
    test::write_text(dir / "s1" / "file", "first");
    test::write_text(dir / "s2" / "file", "second");
    CHECK(fs::publish_directory(dir / "s1", dir / "out" / "final"));
    CHECK_FALSE(fs::publish_directory(dir / "s2", dir / "out" / "final"));
    CHECK(fs::read_file(dir / "out" / "final" / "file") == "first");
    CHECK_FALSE(stdfs::exists(dir / "s1"));
    CHECK_FALSE(stdfs::exists(dir / "s2"));
}

TEST_CASE("hardlink_tree links files and recreates directories and symlinks") {
    test::TempDir dir;
    test::write_text(dir / "src" / "a" / "b.txt", "hello");
    test::write_text(dir / "src" / "top.txt", "top");
    stdfs::create_symlink("top.txt", dir / "src" / "link");
    const auto stats = fs::hardlink_tree(dir / "src", dir / "dst");
    CHECK(stats.linked == 2);
    CHECK(stats.copied == 0);
    CHECK(stats.symlinks == 1);
    CHECK(fs::read_file(dir / "dst" / "a" / "b.txt") == "hello");
    CHECK(stdfs::hard_link_count(dir / "dst" / "top.txt") == 2);
    CHECK(stdfs::read_symlink(dir / "dst" / "link") == "top.txt");
    CHECK_THROWS_AS(fs::hardlink_tree(dir / "src", dir / "dst"), Error);
}

TEST_CASE("remove_tree removes read-only trees and does not follow symlinks") {
    test::TempDir dir;
    test::write_text(dir / "keep" / "precious", "x");
    test::write_text(dir / "tree" / "ro" / "f", "y");
    stdfs::create_symlink(dir / "keep", dir / "tree" / "outside");
    ::chmod((dir / "tree" / "ro").c_str(), 0500);
    CHECK(fs::remove_tree(dir / "tree") >= 3);
    CHECK_FALSE(stdfs::exists(dir / "tree"));
    CHECK(fs::read_file(dir / "keep" / "precious") == "x");
    CHECK(fs::remove_tree(dir / "missing") == 0);
}

TEST_CASE("remove_tree refuses the root and shallow paths") {
    CHECK_THROWS_AS(fs::remove_tree("/"), Error);
    CHECK_THROWS_AS(fs::remove_tree("/usr"), Error);
    CHECK_THROWS_AS(fs::remove_tree(""), Error);
}

TEST_CASE("remove_tree_within removes only what lies strictly inside the root") {
    test::TempDir dir;
    const auto root = dir / "home";
    stdfs::create_directories(root / "cache" / "wheels" / "x");
    stdfs::create_directories(dir / "sentinel");
    test::write_text(dir / "sentinel" / "keep.txt", "keep");
    for (const auto& bad :
         {root / "cache" / "wheels" / ".." / ".." / ".." / "sentinel", root / ".." / "sentinel",
          dir / "sentinel", root, root / ".", stdfs::path("/")}) {
        CHECK_THROWS_AS(fs::remove_tree_within(root, bad), Error);
    }
    CHECK(stdfs::exists(dir / "sentinel" / "keep.txt"));
    CHECK(stdfs::exists(root));
    CHECK(fs::is_strictly_inside(root, root / "cache"));
    CHECK_FALSE(fs::is_strictly_inside(root, dir / "homeX"));
    CHECK(fs::remove_tree_within(root, root / "cache" / "wheels" / "x") == 1);
    CHECK_FALSE(stdfs::exists(root / "cache" / "wheels" / "x"));
}
