#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "omni/install/env_transaction.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
using namespace omni::install;
namespace stdfs = std::filesystem;

namespace {

nlohmann::json journal(const std::string& state) {
    return {{"format", 1},
            {"id", "t1"},
            {"state", state},
            {"time", "2026-01-01T00:00:00.000Z"},
            {"command", "omni install x"},
            {"moves", nlohmann::json::array({{"site/old.py", ".omni/txn/t1/0"}})},
            {"creates", {"site/new.py", "site/old.py"}},
            {"dirs", nlohmann::json::array()},
            {"prune", nlohmann::json::array()},
            {"keep", {"site"}},
            {"added", nlohmann::json::array({{"x", "2.0"}})},
            {"added_wheels", {"abc"}},
            {"removed", nlohmann::json::array({{"x", "1.0"}})}};
}

struct Env {
    test::TempDir dir;
    stdfs::path root = dir / "env";
    Env() {
        stdfs::create_directories(root / "site");
        stdfs::create_directories(root / ".omni" / "txn" / "t1");
    }
    void write_journal(const nlohmann::json& j) const {
        fs::atomic_write(root / ".omni" / "journal.json", j.dump());
    }
};

}  // namespace

TEST_CASE("an unfinished change is rolled back by the next lock", "[install][txn]") {
    Env env;
    // Killed after the old file was moved aside and both new files were created.
    fs::atomic_write(env.root / ".omni" / "txn" / "t1" / "0", "old\n");
    fs::atomic_write(env.root / "site" / "old.py", "new version of old\n");
    fs::atomic_write(env.root / "site" / "new.py", "new\n");
    env.write_journal(journal("applying"));
    const auto lock = EnvLock::acquire(env.root);
    CHECK(lock.recovered() == Recovery::rolled_back);
    CHECK(fs::read_file(env.root / "site" / "old.py") == "old\n");
    CHECK_FALSE(stdfs::exists(env.root / "site" / "new.py"));
    CHECK_FALSE(has_pending_journal(env.root));
    CHECK_FALSE(stdfs::exists(env.root / ".omni" / "txn" / "t1"));
    CHECK(read_history(env.root).empty());
}

TEST_CASE("a change killed before the old file moved keeps the old file", "[install][txn]") {
    Env env;
    fs::atomic_write(env.root / "site" / "old.py", "old\n");
    env.write_journal(journal("applying"));
    CHECK(recover_if_pending(env.root) == Recovery::rolled_back);
    CHECK(fs::read_file(env.root / "site" / "old.py") == "old\n");
}

TEST_CASE("a committed change is finished by the next lock and recorded", "[install][txn]") {
    Env env;
    fs::atomic_write(env.root / ".omni" / "txn" / "t1" / "0", "old\n");
    fs::atomic_write(env.root / "site" / "old.py", "new version of old\n");
    fs::atomic_write(env.root / "site" / "new.py", "new\n");
    env.write_journal(journal("committed"));
    CHECK(recover_if_pending(env.root) == Recovery::rolled_forward);
    CHECK(fs::read_file(env.root / "site" / "old.py") == "new version of old\n");
    CHECK(stdfs::exists(env.root / "site" / "new.py"));
    CHECK_FALSE(stdfs::exists(env.root / ".omni" / "txn" / "t1"));
    const auto history = read_history(env.root);
    REQUIRE(history.size() == 1);
    CHECK(history[0].command == "omni install x");
    REQUIRE(history[0].added.size() == 1);
    CHECK(history[0].added[0].name == "x");
    CHECK(history[0].added[0].version == "2.0");
    CHECK(history[0].added[0].wheel_sha256.empty());  // "abc" is no sha256: not trusted
    REQUIRE(history[0].removed.size() == 1);
    CHECK(history[0].removed[0].version == "1.0");
    const auto replaced = replacements(history[0]);
    REQUIRE(replaced.size() == 1);
    CHECK((replaced[0].from == "1.0" && replaced[0].to == "2.0"));
}

TEST_CASE("a journal naming paths outside the env is refused", "[install][txn]") {
    Env env;
    const auto outside = env.dir / "outside.txt";
    fs::atomic_write(outside, "keep me\n");
    auto j = journal("applying");
    j["creates"] = {"../outside.txt"};
    env.write_journal(j);
    try {
        (void)EnvLock::acquire(env.root);
        FAIL("a hostile journal was accepted");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::corrupt_state);
        CHECK_THAT(e.what(), Catch::Contains("outside the env"));
    }
    CHECK(fs::read_file(outside) == "keep me\n");
}

TEST_CASE("a damaged journal is one error naming it", "[install][txn]") {
    Env env;
    fs::atomic_write(env.root / ".omni" / "journal.json", "{\"format\": 1, \"id\":");
    try {
        (void)EnvLock::acquire(env.root);
        FAIL("a damaged journal was accepted");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::corrupt_state);
        CHECK_THAT(e.what(), Catch::Contains("journal.json"));
        CHECK_FALSE(e.hint().empty());
    }
}
