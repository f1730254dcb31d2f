#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

nlohmann::json list_json(const test::OmniHome& home) {
    const auto r = home.omni({"python", "list", "--json"});
    INFO(r.err);
    REQUIRE(r.ok());
    return nlohmann::json::parse(r.out);
}

const nlohmann::json* by_version(const nlohmann::json& list, const std::string& version) {
    for (const auto& item : list) {
        if (item["version"] == version && item["source"] == "pyenv")
            return &item;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("discovery finds every pyenv interpreter and queries old ones correctly") {
    const auto versions = test::pyenv_root() / "versions";
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : stdfs::directory_iterator(versions, ec))
        names.push_back(e.path().filename().string());
    if (names.empty()) {
        REQUIRE_FALSE(std::string(std::getenv("CI") ? std::getenv("CI") : "") == "true");
        WARN("SKIPPED: no interpreters in " << versions.string());
        return;
    }
    test::OmniHome home;
    const auto list = list_json(home);
    for (const auto& name : names) {
        INFO(name);
        CHECK(by_version(list, name) != nullptr);
    }
    if (const auto* py27 = by_version(list, "2.7.18")) {
        CHECK((*py27)["markers"]["python_version"] == "2.7");
        CHECK((*py27)["markers"]["sys_platform"].get<std::string>().starts_with("linux"));
        CHECK((*py27)["implementation"] == "cpython");
        CHECK((*py27)["paths"]["stdlib"].get<std::string>().ends_with("lib/python2.7"));
        CHECK((*py27)["is_venv"] == false);
    } else {
        test::pyenv_python("2.7");
    }
    if (const auto* py36 = by_version(list, "3.6.15")) {
        CHECK((*py36)["abiflags"] == "m");
        CHECK((*py36)["soabi"] == "cpython-36m-x86_64-linux-gnu");
        CHECK((*py36)["markers"]["python_full_version"] == "3.6.15");
        CHECK((*py36)["pointer_bits"] == 64);
        CHECK_FALSE((*py36)["glibc"].get<std::string>().empty());
    } else {
        test::pyenv_python("3.6");
    }
}

TEST_CASE("a warm registry is not rewritten and a damaged one is rebuilt with a warning") {
    if (!test::pyenv_python("3.9"))
        return;
    test::OmniHome home;
    REQUIRE(home.omni({"python", "list"}).ok());
    const auto registry = home.root() / "registry.json";
    const auto before = stdfs::last_write_time(registry);
    const auto text = fs::read_file(registry);
    const auto again = home.omni({"python", "find", "3.9"});
    REQUIRE(again.ok());
    CHECK(stdfs::last_write_time(registry) == before);
    CHECK(fs::read_file(registry) == text);

    fs::atomic_write(registry, "{ not json");
    const auto rebuilt = home.omni({"python", "find", "3.9"});
    INFO(rebuilt.err);
    REQUIRE(rebuilt.ok());
    CHECK(rebuilt.out.find("3.9") != std::string::npos);
    CHECK(rebuilt.err.find("damaged") != std::string::npos);
    CHECK(nlohmann::json::parse(fs::read_file(registry))["entries"].size() > 0);
}

TEST_CASE("a broken interpreter on PATH is reported and skipped") {
    if (!test::pyenv_python("3.9"))
        return;
    test::OmniHome home;
    const auto dir = home.scratch() / "badbin";
    test::write_text(dir / "python3.99", "#!/bin/sh\necho garbage\n");
    stdfs::permissions(dir / "python3.99", stdfs::perms::owner_all);
    stdfs::create_symlink(dir / "gone", dir / "python3.98");
    const char* path = std::getenv("PATH");
    const auto r =
        home.omni({"python", "list"}, {{"PATH", dir.string() + ":" + (path ? path : "")}});
    INFO(r.err);
    REQUIRE(r.ok());
    CHECK(r.err.find("python3.99") != std::string::npos);
    CHECK(r.out.find("3.9.") != std::string::npos);
}
