#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>

#include "omni/home/config.hpp"
#include "omni/python/catalogue.hpp"
#include "omni/python/managed_install.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
using namespace omni::python;

namespace {

const std::string sha_a(64, 'a');

nlohmann::json entry(const std::string& version, const std::string& arch, const std::string& libc,
                     const std::string& variant, const std::string& tag = "20241016") {
    const auto filename = "cpython-" + version + "+" + tag + "-" + arch + "-unknown-linux-" + libc +
                          "-" + variant + ".tar.gz";
    return {{"implementation", "cpython"},
            {"version", version},
            {"tag", tag},
            {"arch", arch},
            {"os", "linux"},
            {"libc", libc},
            {"variant", variant},
            {"filename", filename},
            {"url", "https://example.invalid/" + tag + "/" + filename},
            {"sha256", sha_a}};
}

Catalogue make(const std::vector<nlohmann::json>& entries) {
    nlohmann::json doc = {{"schema_version", 1}, {"downloads", entries}};
    auto catalogue = Catalogue::parse(doc.dump(), "test");
    REQUIRE(catalogue.has_value());
    return *catalogue;
}

PythonRequest request(const char* text) {
    return PythonRequest::parse(text).value();
}

const Platform x86_gnu{"x86_64", "linux", "gnu"};

}  // namespace

TEST_CASE("catalogue entries parse and bad ones name the entry") {
    const auto catalogue = make({entry("3.12.7", "x86_64", "gnu", "install_only")});
    REQUIRE(catalogue.downloads.size() == 1);
    const auto& d = catalogue.downloads[0];
    CHECK(d.version.str() == "3.12.7");
    CHECK(d.install_name() == "cpython-3.12.7-linux-x86_64-gnu");
    CHECK(d.url_via("") == d.url);
    CHECK(d.url_via("http://127.0.0.1:8080/pbs/") ==
          "http://127.0.0.1:8080/pbs/20241016/"
          "cpython-3.12.7%2B20241016-x86_64-unknown-linux-gnu-install_only.tar.gz");

    auto bad = entry("3.12.7", "x86_64", "gnu", "install_only");
    bad["sha256"] = "xyz";
    auto parsed = Catalogue::parse(nlohmann::json({{"downloads", {bad}}}).dump(), "cat.json");
    REQUIRE_FALSE(parsed.has_value());
    CHECK(std::string(parsed.error().what()).find("cat.json") != std::string::npos);
    CHECK(std::string(parsed.error().what()).find("sha256") != std::string::npos);

    bad = entry("3.12.7", "x86_64", "gnu", "install_only");
    bad.erase("url");
    CHECK_FALSE(Catalogue::parse(nlohmann::json({{"downloads", {bad}}}).dump(), "c").has_value());
    CHECK_FALSE(Catalogue::parse("{not json", "c").has_value());
    CHECK_FALSE(Catalogue::parse(R"({"schema_version": 9, "downloads": []})", "c").has_value());
}

TEST_CASE("the catalogue round-trips through its JSON") {
    const auto catalogue = make({entry("3.12.7", "x86_64", "gnu", "install_only"),
                                 entry("3.13.0rc2", "aarch64", "musl", "install_only_stripped")});
    const auto again = Catalogue::parse(catalogue.to_json(), "again");
    REQUIRE(again.has_value());
    REQUIRE(again->downloads.size() == 2);
    CHECK(again->downloads[1].version.str() == "3.13.0rc2");
    CHECK(again->downloads[1].libc == "musl");
    CHECK(again->downloads[0].sha256 == sha_a);
}

TEST_CASE("selection fits the machine and prefers newest final install_only") {
    const auto catalogue = make({
        entry("3.12.5", "x86_64", "gnu", "install_only"),
        entry("3.12.7", "x86_64", "gnu", "install_only_stripped"),
        entry("3.12.7", "x86_64", "gnu", "install_only"),
        entry("3.12.7", "x86_64", "gnu", "pgo+lto-full"),
        entry("3.12.8", "aarch64", "gnu", "install_only"),
        entry("3.12.9", "x86_64", "musl", "install_only"),
        entry("3.13.0rc2", "x86_64", "gnu", "install_only"),
        entry("3.11.10", "x86_64", "gnu", "install_only"),
    });
    auto d = select_download(catalogue, request("3.12"), x86_gnu);
    REQUIRE(d.has_value());
    CHECK(d->version.str() == "3.12.7");
    CHECK(d->variant == "install_only");
    CHECK(d->arch == "x86_64");

    // Another machine, another build.
    d = select_download(catalogue, request("3.12"), {"aarch64", "linux", "gnu"});
    REQUIRE(d.has_value());
    CHECK(d->version.str() == "3.12.8");
    d = select_download(catalogue, request("3.12"), {"x86_64", "linux", "musl"});
    REQUIRE(d.has_value());
    CHECK(d->version.str() == "3.12.9");

    // Finals before pre-releases; a pre-release only by name.
    CHECK(select_download(catalogue, request("3"), x86_gnu)->version.str() == "3.12.7");
    CHECK_FALSE(select_download(catalogue, request("3.13"), x86_gnu).has_value());
    CHECK(select_download(catalogue, request("3.13.0rc2"), x86_gnu)->version.str() == "3.13.0rc2");
    CHECK(select_download(catalogue, request("cpython@3.11"), x86_gnu)->version.str() == "3.11.10");
    CHECK(select_download(catalogue, request(">=3.10,<3.12"), x86_gnu)->version.str() == "3.11.10");
    CHECK(select_download(catalogue, request("3.12.5"), x86_gnu)->version.str() == "3.12.5");

    // The only full build is never chosen.
    const auto full_only = make({entry("3.12.7", "x86_64", "gnu", "pgo+lto-full")});
    CHECK_FALSE(select_download(full_only, request("3.12"), x86_gnu).has_value());
}

TEST_CASE("final over pre-release, newest patch, and a pre-release only by name") {
    auto ft = entry("3.14.7", "x86_64", "gnu", "install_only_stripped");
    ft["free_threaded"] = true;
    ft["filename"] =
        "cpython-3.14.7+20241016-x86_64-unknown-linux-gnu-freethreaded-"
        "install_only_stripped.tar.gz";
    auto rc = entry("3.15.0rc1", "x86_64", "gnu", "install_only_stripped");
    rc["prerelease"] = true;
    const auto catalogue = make({
        entry("3.14.6", "x86_64", "gnu", "install_only"),
        ft,
        entry("3.14.7", "x86_64", "gnu", "install_only_stripped"),
        entry("3.14.5rc1", "x86_64", "gnu", "install_only"),
        entry("3.15.0b4", "x86_64", "gnu", "install_only"),
        rc,
        entry("3.14.8", "aarch64", "gnu", "install_only"),
    });
    const auto pick = [&](const char* text) {
        auto d = select_download(catalogue, request(text), x86_gnu);
        INFO(text << ": " << (d ? d->describe() : std::string(d.error().what())));
        REQUIRE(d.has_value());
        return *d;
    };
    // The newest patch of the minor, a final one, with the GIL, for this arch.
    CHECK(pick("3.14").version.str() == "3.14.7");
    CHECK_FALSE(pick("3.14").free_threaded);
    CHECK(pick("3").version.str() == "3.14.7");
    CHECK(pick(">=3.14").version.str() == "3.14.7");
    CHECK(pick("3.14.6").version.str() == "3.14.6");
    CHECK(pick("3.14t").free_threaded);
    CHECK(pick("3.14t").install_name() == "cpython-3.14.7t-linux-x86_64-gnu");
    // A pre-release when named, and then that one.
    CHECK(pick("3.15.0rc1").version.str() == "3.15.0rc1");
    CHECK(pick("3.15.0rc1").prerelease());
    CHECK(pick("3.15.0b4").version.str() == "3.15.0b4");
    CHECK(pick(">=3.15.0b1").version.str() == "3.15.0rc1");
    CHECK(pick("3.14.5rc1").version.str() == "3.14.5rc1");
    CHECK(pick("3.14.5rc1").describe().find("pre-release") != std::string::npos);
    CHECK(pick("3.14.6").describe().find("pre-release") == std::string::npos);

    // A minor with pre-releases only is refused, naming the one to ask for.
    for (const char* text : {"3.15", "3.15.0", ">=3.15"}) {
        INFO(text);
        const auto d = select_download(catalogue, request(text), x86_gnu);
        REQUIRE_FALSE(d.has_value());
        CHECK(d.error().code() == ErrorCode::not_found);
        CHECK(std::string(d.error().what()).find("3.15.0rc1 is a pre-release") !=
              std::string::npos);
        CHECK(d.error().hint().find("omni python install 3.15.0rc1") != std::string::npos);
    }
    // Nothing matches: the finals listed, and the pre-releases to ask for by name.
    const auto none = select_download(catalogue, request("3.16"), x86_gnu);
    REQUIRE_FALSE(none.has_value());
    CHECK(std::string(none.error().what())
              .find("available: 3.14.7, 3.14.7t; pre-releases, by "
                    "name: 3.15.0rc1") != std::string::npos);
    // 3.14.5 has only its candidate: a plain 3.14.5 does not take it either.
    CHECK_FALSE(select_download(catalogue, request("3.14.5"), x86_gnu).has_value());
    // Another architecture, another build.
    CHECK(select_download(catalogue, request("3.14"), {"aarch64", "linux", "gnu"})->version.str() ==
          "3.14.8");
    CHECK_FALSE(
        select_download(catalogue, request("3.14"), {"x86_64", "linux", "musl"}).has_value());

    // Listed newest first, pre-releases included, one per install name.
    std::vector<std::string> listed;
    for (const auto& d : available_downloads(catalogue, x86_gnu))
        listed.push_back(d.version.str() + (d.free_threaded ? "t" : ""));
    CHECK(listed == std::vector<std::string>{"3.15.0rc1", "3.15.0b4", "3.14.7", "3.14.7t", "3.14.6",
                                             "3.14.5rc1"});
}

TEST_CASE("a prerelease flag must agree with the version") {
    auto bad = entry("3.14.7", "x86_64", "gnu", "install_only");
    bad["prerelease"] = true;
    auto parsed = Catalogue::parse(nlohmann::json({{"downloads", {bad}}}).dump(), "c.json");
    REQUIRE_FALSE(parsed.has_value());
    CHECK(std::string(parsed.error().what()).find("prerelease") != std::string::npos);
    bad = entry("3.15.0rc1", "x86_64", "gnu", "install_only");
    bad["prerelease"] = false;
    CHECK_FALSE(Catalogue::parse(nlohmann::json({{"downloads", {bad}}}).dump(), "c").has_value());
    bad["prerelease"] = true;
    const auto good = make({bad});
    const auto again = Catalogue::parse(good.to_json(), "again");
    REQUIRE(again.has_value());
    CHECK(again->downloads.at(0).prerelease());
}

TEST_CASE("no match names the request and the platform and lists what there is") {
    const auto catalogue = make({entry("3.12.7", "x86_64", "gnu", "install_only"),
                                 entry("3.8.20", "x86_64", "gnu", "install_only")});
    auto d = select_download(catalogue, request("3.99"), x86_gnu);
    REQUIRE_FALSE(d.has_value());
    const std::string message = d.error().what();
    CHECK(d.error().code() == ErrorCode::not_found);
    CHECK(message.find("3.99") != std::string::npos);
    CHECK(message.find("linux x86_64 gnu") != std::string::npos);
    CHECK(message.find("available: 3.12.7, 3.8.20") != std::string::npos);

    CHECK_FALSE(select_download(catalogue, request("pypy@3.10"), x86_gnu).has_value());
    CHECK_FALSE(select_download(catalogue, request("3.12t"), x86_gnu).has_value());
    auto path = select_download(catalogue, request("/usr/bin/python3"), x86_gnu);
    REQUIRE_FALSE(path.has_value());
    CHECK(path.error().code() == ErrorCode::invalid_input);
}

TEST_CASE("the built-in catalogue holds every final CPython from 3.8 for Linux and macOS") {
    const auto catalogue = builtin_catalogue();
    const std::vector<Platform> platforms = {x86_gnu,
                                             {"x86_64", "linux", "musl"},
                                             {"aarch64", "linux", "gnu"},
                                             {"aarch64", "linux", "musl"},
                                             {"x86_64", "macos", "none"},
                                             {"aarch64", "macos", "none"}};
    for (const auto& platform : platforms) {
        // uv's metadata has no musl builds of 3.8 (the old static ones).
        const bool musl = platform.libc == "musl";
        for (const char* minor : {"3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"}) {
            if (musl && std::string(minor) == "3.8")
                continue;
            INFO(platform.describe() << " " << minor);
            const auto d = select_download(catalogue, request(minor), platform);
            REQUIRE(d.has_value());
            CHECK_FALSE(d->prerelease());
            CHECK(d->os == platform.os);
        }
        INFO(platform.describe());
        CHECK(select_download(catalogue, request("3.13t"), platform).has_value());
        // The newest release is final; the next minor is there as pre-releases only.
        CHECK_FALSE(select_download(catalogue, request("3"), platform)->prerelease());
    }
    CHECK(select_download(catalogue, request("3.12"), x86_gnu)->version >
          PythonVersion::parse("3.12.6").value());
    std::set<std::string> finals;
    std::set<std::string> slots;
    for (const auto& d : catalogue.downloads) {
        INFO(d.filename);
        CHECK(d.url.starts_with(std::string(pbs_download_base) + "/" + d.tag + "/"));
        CHECK(installable_variant(d.variant));
        CHECK((d.os == "linux" || d.os == "macos"));
        CHECK((d.arch == "x86_64" || d.arch == "aarch64"));
        // One build per version, free-threading, os, arch and libc.
        CHECK(slots.insert(d.install_name()).second);
        if (!d.prerelease())
            finals.insert(d.version.str());
    }
    // Every patch release of 3.12 up to the newest in the file.
    for (int micro = 0; micro <= 12; ++micro)
        CHECK(finals.contains("3.12." + std::to_string(micro)));
}

TEST_CASE("python-build-standalone file names parse") {
    Download d;
    REQUIRE(parse_pbs_filename(
        "cpython-3.12.7+20241016-x86_64-unknown-linux-gnu-install_only.tar.gz", "20241016", d));
    CHECK(d.version.str() == "3.12.7");
    CHECK(d.arch == "x86_64");
    CHECK(d.libc == "gnu");
    CHECK(d.variant == "install_only");
    CHECK_FALSE(d.free_threaded);
    REQUIRE(parse_pbs_filename(
        "cpython-3.13.0+20241016-aarch64-unknown-linux-musl-freethreaded-install_only.tar.gz",
        "20241016", d));
    CHECK(d.free_threaded);
    CHECK(d.libc == "musl");
    CHECK(d.install_name() == "cpython-3.13.0t-linux-aarch64-musl");
    CHECK_FALSE(parse_pbs_filename(
        "cpython-3.12.7+20241016-x86_64-apple-darwin-install_only.tar.gz", "20241016", d));
    CHECK_FALSE(parse_pbs_filename("SHA256SUMS", "20241016", d));
}

TEST_CASE("auto-install follows --yes then config then CI then the terminal") {
    test::TempDir dir;
    Home home(dir / "home");
    home.ensure_layout();
    CHECK(auto_install_policy(home, {true, false, true}) == AutoInstall::yes);
    CHECK(auto_install_policy(home, {false, true, false}) == AutoInstall::ask);
    CHECK(auto_install_policy(home, {false, true, true}) == AutoInstall::no);
    CHECK(auto_install_policy(home, {false, false, false}) == AutoInstall::no);
    Config config(home);
    config.set(auto_install_key, true);
    CHECK(auto_install_policy(home, {false, false, true}) == AutoInstall::yes);
    config.set(auto_install_key, false);
    CHECK(auto_install_policy(home, {false, true, false}) == AutoInstall::no);
    config.set(auto_install_key, "ask");
    CHECK(auto_install_policy(home, {false, true, true}) == AutoInstall::ask);
    config.set(auto_install_key, "sometimes");
    CHECK_THROWS_AS(auto_install_policy(home, {false, true, false}), Error);

    config.set(mirror_key, "http://mirror.invalid/pbs");
    CHECK(resolve_mirror(home, "") == "http://mirror.invalid/pbs");
    CHECK(resolve_mirror(home, "http://other") == "http://other");
}
