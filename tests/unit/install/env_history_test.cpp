#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "omni/install/env_history.hpp"
#include "omni/util/fs.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
using namespace omni::install;
namespace stdfs = std::filesystem;

namespace {

const std::string sha(64, 'a');

HistoryDist dist(const std::string& name, const std::string& version) {
    HistoryDist d;
    d.name = name;
    d.version = version;
    return d;
}

}  // namespace

TEST_CASE("history records round-trip with their wheels, REQUESTED and direct_url",
          "[install][history]") {
    test::TempDir dir;
    auto added = dist("rv-a", "2.0");
    added.wheel_sha256 = sha;
    added.wheel = "rv_a-2.0-py3-none-any.whl";
    added.requested = false;
    added.direct_url = R"({"url": "file:///w/rv_a-2.0-py3-none-any.whl", "archive_info": {}})";
    auto removed = dist("rv-a", "1.0");
    removed.requested = true;
    auto phantom = dist("rv-p", "1.0");
    phantom.phantom = true;
    write_history_record(dir.path(), {"2026-01-02T00-00-00.000Z-1-0-aa",
                                      "2026-01-02T00:00:00.000Z",
                                      "omni install --main rv-a==2.0",
                                      {added},
                                      {removed, phantom}});
    write_history_record(dir.path(), {"2026-01-01T00-00-00.000Z-1-0-aa",
                                      "2026-01-01T00:00:00.000Z",
                                      "omni install rv-a==1.0",
                                      {dist("rv-a", "1.0")},
                                      {}});
    const auto history = read_history(dir.path());
    REQUIRE(history.size() == 2);
    CHECK(history[0].command == "omni install rv-a==1.0");  // oldest first
    const auto& h = history[1];
    REQUIRE(h.added.size() == 1);
    CHECK(h.added[0].wheel_sha256 == sha);
    CHECK(h.added[0].wheel == "rv_a-2.0-py3-none-any.whl");
    CHECK(h.added[0].requested == false);
    CHECK(h.added[0].direct_url == added.direct_url);
    REQUIRE(h.removed.size() == 2);
    CHECK(h.removed[0].requested == true);
    CHECK_FALSE(h.removed[0].phantom);
    CHECK(h.removed[1].phantom);
    const auto r = replacements(h);
    REQUIRE(r.size() == 1);
    CHECK((r[0].name == "rv-a" && r[0].from == "1.0" && r[0].to == "2.0"));
}

TEST_CASE("a hostile history record: bad fields are dropped, a bad record is skipped",
          "[install][history]") {
    test::TempDir dir;
    const auto history = history_dir(dir.path());
    stdfs::create_directories(history);
    const nlohmann::json record = {
        {"format", 1},
        {"id", "t1"},
        {"time", "2026-01-01T00:00:00.000Z"},
        {"command", "omni install x"},
        {"added",
         {{{"name", "x"},
           {"version", "1.0"},
           {"wheel_sha256", "../../etc"},
           {"wheel", "../x-1.0-py3-none-any.whl"},
           {"direct_url", "not json"}},
          {{"name", "x2"}, {"version", "1.0"}, {"wheel", "y-1.0-py3-none-any.whl"}}}},
        {"removed", nlohmann::json::array()}};
    fs::atomic_write(history / "t1.json", record.dump());
    auto renamed = record;
    renamed["id"] = "t0";  // not its file name
    fs::atomic_write(history / "t2.json", renamed.dump());
    auto bad_name = record;
    bad_name["id"] = "t3";
    bad_name["added"] = {{{"name", "../x"}, {"version", "1.0"}}};
    fs::atomic_write(history / "t3.json", bad_name.dump());
    fs::atomic_write(history / "t4.json", "{not json");
    const auto entries = read_history(dir.path());
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].id == "t1");
    REQUIRE(entries[0].added.size() == 2);
    CHECK(entries[0].added[0].wheel_sha256.empty());
    CHECK(entries[0].added[0].wheel.empty());
    CHECK_FALSE(entries[0].added[0].direct_url);
    CHECK(entries[0].added[1].wheel.empty());  // another project's wheel
    CHECK_FALSE(is_history_id("../t1"));
    CHECK_FALSE(is_history_id(".hidden"));
    CHECK(is_history_id("2026-12-04T19-01-02.345Z-123-0-9f3a"));
}
