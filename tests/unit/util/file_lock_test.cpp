#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "omni/util/error.hpp"
#include "omni/util/file_lock.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
using namespace std::chrono_literals;

TEST_CASE("an exclusive lock excludes other lockers until released") {
    test::TempDir dir;
    const auto file = dir / "locks" / "a.lock";
    {
        auto held = FileLock::acquire(file, LockMode::exclusive);
        CHECK_FALSE(FileLock::try_acquire(file, LockMode::exclusive).has_value());
        CHECK_FALSE(FileLock::try_acquire(file, LockMode::shared).has_value());
    }
    CHECK(FileLock::try_acquire(file, LockMode::exclusive).has_value());
}

TEST_CASE("shared locks coexist and block an exclusive one") {
    test::TempDir dir;
    const auto file = dir / "b.lock";
    auto one = FileLock::acquire(file, LockMode::shared);
    auto two = FileLock::try_acquire(file, LockMode::shared);
    CHECK(two.has_value());
    CHECK_FALSE(FileLock::try_acquire(file, LockMode::exclusive).has_value());
}

TEST_CASE("a timed-out wait names the lock file and the holder's pid") {
    test::TempDir dir;
    const auto file = dir / "c.lock";
    const pid_t child = ::fork();
    if (child == 0) {
        auto held = FileLock::acquire(file, LockMode::exclusive);
        ::sleep(3);
        ::_exit(0);
    }
    // Wait until the child holds it.
    for (int i = 0; i < 200 && FileLock::try_acquire(file, LockMode::exclusive); ++i)
        std::this_thread::sleep_for(10ms);
    try {
        (void)FileLock::acquire(file, LockMode::exclusive, 100ms);
        FAIL("expected a timeout");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::lock_timeout);
        CHECK_THAT(e.what(), Catch::Contains(file.string()));
        CHECK_THAT(e.what(), Catch::Contains("pid " + std::to_string(child)));
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    // The kernel dropped the dead holder's lock.
    CHECK(FileLock::acquire(file, LockMode::exclusive, 1s).path() == file);
}

TEST_CASE("a lock is moved and not copied") {
    test::TempDir dir;
    auto a = FileLock::acquire(dir / "d.lock", LockMode::exclusive);
    FileLock b = std::move(a);
    CHECK_FALSE(FileLock::try_acquire(dir / "d.lock", LockMode::exclusive).has_value());
}
