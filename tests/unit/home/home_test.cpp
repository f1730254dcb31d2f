#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "omni/home/home.hpp"
#include "omni/home/staging.hpp"
#include "omni/util/error.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

TEST_CASE("ensure_layout creates the design's directories") {
    test::TempDir dir;
    Home home(dir / "home");
    home.ensure_layout();
    for (const auto* sub : {"locks", "interpreters", "bin", "envs", "bubbles", "cache", "staging"})
        CHECK(stdfs::is_directory(dir / "home" / sub));
    CHECK(home.lock_file("config") == dir / "home" / "locks" / "config.lock");
}

TEST_CASE("a home that cannot be created is a clear error") {
    test::TempDir dir;
    test::write_text(dir / "file", "x");
    Home home(dir / "file" / "home");
    try {
        home.ensure_layout();
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::io);
        CHECK_THAT(e.what(), Catch::Contains((dir / "file" / "home").string()));
        CHECK_THAT(e.hint(), Catch::Contains("OMNI_HOME"));
    }
}

TEST_CASE("a staging dir is removed unless published") {
    test::TempDir dir;
    Home home(dir / "home");
    home.ensure_layout();
    stdfs::path abandoned;
    {
        auto staging = StagingDir::create(home, "bubble");
        abandoned = staging.path();
        test::write_text(abandoned / "x", "y");
    }
    CHECK_FALSE(stdfs::exists(abandoned));
    auto staging = StagingDir::create(home, "env");
    test::write_text(staging.path() / "pyvenv.cfg", "home = /usr\n");
    CHECK(staging.publish(dir / "home" / "envs" / "cpython-3.11"));
    CHECK(stdfs::exists(dir / "home" / "envs" / "cpython-3.11" / "pyvenv.cfg"));
}

TEST_CASE("stale staging of a dead process is removed and live staging is kept") {
    test::TempDir dir;
    Home home(dir / "home");
    home.ensure_layout();
    auto mine = StagingDir::create(home, "live");
    const pid_t child = ::fork();
    if (child == 0) {
        auto theirs = StagingDir::create(home, "dead.purpose");
        test::write_text(theirs.path() / "partial", "z");
        ::_exit(0);  // no destructor: as if killed
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    // An unparseable leftover counts as stale too.
    stdfs::create_directories(home.staging_dir() / "garbage");
    CHECK(std::distance(stdfs::directory_iterator(home.staging_dir()),
                        stdfs::directory_iterator()) == 3);
    CHECK(remove_stale_staging(home) == 2);
    CHECK(stdfs::exists(mine.path()));
    CHECK(std::distance(stdfs::directory_iterator(home.staging_dir()),
                        stdfs::directory_iterator()) == 1);
}

TEST_CASE("temp files of dead writers are removed and live ones kept") {
    test::TempDir dir;
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);
    test::write_text(dir / fmt::format(".config.json.tmp.{}-0-ab", child), "dead");
    test::write_text(dir / fmt::format(".config.json.tmp.{}-0-cd", ::getpid()), "live");
    test::write_text(dir / "config.json", "{}");
    CHECK(remove_stale_temp_files(dir.path()) == 1);
    CHECK(stdfs::exists(dir / fmt::format(".config.json.tmp.{}-0-cd", ::getpid())));
    CHECK(stdfs::exists(dir / "config.json"));
}
