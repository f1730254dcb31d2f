#include <catch2/catch.hpp>

#include "omni/home/config.hpp"
#include "omni/util/fs.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {
struct Fixture {
    test::TempDir dir;
    Home home{dir / "home"};
    Fixture() { home.ensure_layout(); }
};
}  // namespace

TEST_CASE("a missing config reads as empty") {
    Fixture f;
    Config config(f.home);
    CHECK(config.load().empty());
    CHECK_FALSE(config.get("a.b").has_value());
}

TEST_CASE("set get and unset round-trip with a schema version on disk") {
    Fixture f;
    Config config(f.home);
    config.set("python.active", "3.11");
    config.set("matrix.jobs", 4);
    CHECK(config.get("python.active") == nlohmann::json("3.11"));
    CHECK(config.get("matrix.jobs") == nlohmann::json(4));
    const auto doc = nlohmann::json::parse(fs::read_file(f.home.config_file()));
    CHECK(doc["schema_version"] == Config::schema_version);
    CHECK(config.unset("matrix.jobs"));
    CHECK_FALSE(config.unset("matrix.jobs"));
    CHECK_FALSE(config.get("matrix.jobs").has_value());
}

TEST_CASE("a transaction that throws writes nothing") {
    Fixture f;
    Config config(f.home);
    config.set("a.b", 1);
    CHECK_THROWS(config.transact([](ConfigValues& v) {
        v["a.b"] = 2;
        throw std::runtime_error("changed my mind");
    }));
    CHECK(config.get("a.b") == nlohmann::json(1));
}

TEST_CASE("a damaged config names the file and the position and repair restores") {
    Fixture f;
    Config config(f.home);
    config.set("keep.me", "yes");
    config.set("keep.too", true);
    fs::atomic_write(f.home.config_file(), "{\n  \"schema_version\": 1,\n  \"values\": {,\n}");
    try {
        config.load();
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::corrupt_state);
        CHECK_THAT(e.what(), Catch::Contains(f.home.config_file().string()));
        CHECK_THAT(e.what(), Catch::Contains("line 3, column 14"));
        CHECK_THAT(e.hint(), Catch::Contains("omni config repair"));
    }
    // A damaged file is never overwritten by a transaction.
    CHECK_THROWS_AS(config.set("x.y", 1), Error);
    const auto outcome = config.repair();
    CHECK(outcome.action == RepairOutcome::Action::restored_backup);
    CHECK(fs::read_file(outcome.corrupt_copy).find("{,") != std::string::npos);
    // The last good copy is the one before the last write.
    CHECK(config.get("keep.me") == nlohmann::json("yes"));
    CHECK(config.repair().action == RepairOutcome::Action::nothing_to_do);
}

TEST_CASE("repair without a good copy resets to empty and keeps the damaged file") {
    Fixture f;
    fs::atomic_write(f.home.config_file(), "garbage");
    Config config(f.home);
    const auto outcome = config.repair();
    CHECK(outcome.action == RepairOutcome::Action::reset_to_empty);
    CHECK(fs::read_file(outcome.corrupt_copy) == "garbage");
    CHECK(config.load().empty());
}

TEST_CASE("a config from a newer omni is refused") {
    Fixture f;
    fs::atomic_write(f.home.config_file(), R"({"schema_version": 99, "values": {}})");
    CHECK_THROWS_WITH(Config(f.home).load(), Catch::Contains("newer"));
}

TEST_CASE("config keys are dotted lower-case words") {
    CHECK(validate_config_key("heal.new-packages").has_value());
    CHECK(validate_config_key("a").has_value());
    CHECK(validate_config_key("index.extra_urls").has_value());
    for (const auto* bad : {"", ".a", "a.", "a..b", "A.b", "a b", "-a", "a.-b"}) {
        INFO(bad);
        CHECK_FALSE(validate_config_key(bad).has_value());
    }
    CHECK_THAT(validate_config_key("a..b").error().what(), Catch::Contains("^"));
}

TEST_CASE("command-line values parse as JSON or else text and versions stay text") {
    CHECK(parse_config_value("4") == nlohmann::json(4));
    CHECK(parse_config_value("true") == nlohmann::json(true));
    CHECK(parse_config_value("[1,2]") == nlohmann::json({1, 2}));
    CHECK(parse_config_value("\"quoted\"") == nlohmann::json("quoted"));
    CHECK(parse_config_value("ask") == nlohmann::json("ask"));
    CHECK(parse_config_value("3.10") == nlohmann::json("3.10"));
}
