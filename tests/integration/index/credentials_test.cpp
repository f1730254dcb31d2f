// Credentials for an index that wants them: from the URL or from netrc,
// sent to that host only, and never shown: every output, log, report and
// cache file is searched for the secret.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "integration/index/fixture_server.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;
using nlohmann::json;

namespace {

const std::string secret = "s3cr3t-Pa55";

struct PrivateIndex {
    test::OmniHome omni;
    test::TempDir served;
    stdfs::path root = served / "index";
    stdfs::path control = served / "control.json";
    std::optional<test::FixtureServer> server;
    bool ready = false;

    PrivateIndex() {
        if (!test::pyenv_python("3.11") || test::fixture_python().empty())
            return;
        test::make_index(root, {"--spec-json", R"({"packages": [
            {"name": "hc-alpha", "version": "1.0", "requires": ["hc-beta"]},
            {"name": "hc-beta", "version": "1.0"}]})"});
        fs::atomic_write(control, json{{"auth", "alice:" + secret}}.dump());
        server.emplace(root, std::vector<std::string>{"--control", control.string()});
        REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
        ready = true;
    }
    std::string url_with(const std::string& userinfo) const {
        return "http://" + userinfo + "@127.0.0.1:" + std::to_string(server->port()) + "/simple/";
    }
    // Every file under `dir` that holds the secret.
    static std::vector<std::string> files_with_secret(const stdfs::path& dir) {
        std::vector<std::string> out;
        for (const auto& e : stdfs::recursive_directory_iterator(dir)) {
            if (!e.is_regular_file() || e.is_symlink())
                continue;
            if (fs::read_file(e.path()).find(secret) != std::string::npos)
                out.push_back(e.path().string());
        }
        return out;
    }
};

}  // namespace

TEST_CASE("credentials in the index URL are used, sent to their host only, and never shown") {
    PrivateIndex p;
    if (!p.ready)
        return;
    const auto log = p.omni.scratch() / "omni.log";
    const auto report = p.omni.scratch() / "report.json";
    const auto url = p.url_with("alice:" + secret);

    // Without credentials: 401, and the hint says what to do.
    auto r = p.omni.omni({"--index-url", p.server->url("/simple/"), "install", "hc-alpha"});
    CHECK(r.exit_code == exit_status(ErrorCode::network));
    CHECK_THAT(r.err, Catch::Contains("HTTP 401") && Catch::Contains("credentials") &&
                          Catch::Contains(".netrc"));
    // Wrong ones: the same, and the wrong password is not printed either.
    r = p.omni.omni({"--index-url", p.url_with("alice:wrong-Pa55"), "-v", "install", "hc-alpha"});
    CHECK(r.exit_code == exit_status(ErrorCode::network));
    CHECK_THAT(r.err, Catch::Contains("alice:****@") || !Catch::Contains("alice"));
    CHECK_THAT(r.err, !Catch::Contains("wrong-Pa55"));

    r = p.omni.omni({"--index-url", url, "--log-file", log.string(), "-v", "install", "--report",
                     report.string(), "hc-alpha"});
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK_THAT(r.out, Catch::Contains("installed hc-alpha 1.0"));
    // An error that names the index (a missing project) and doctor, too.
    const auto missing = p.omni.omni({"--index-url", url, "install", "hc-nowhere"});
    CHECK_FALSE(missing.ok());
    const auto doctor = p.omni.omni({"--index-url", url, "doctor"});
    for (const auto& text : {r.out, r.err, missing.out, missing.err, doctor.out, doctor.err}) {
        CHECK_THAT(text, !Catch::Contains(secret));
    }
    CHECK(p.files_with_secret(p.omni.root()).empty());
    CHECK(p.files_with_secret(p.omni.scratch()).empty());
    CHECK(stdfs::exists(report));
    CHECK_FALSE(fs::read_file(log).empty());
    // Cached responses are private to the user.
    std::size_t cached = 0;
    for (const auto& dir : {"http", "metadata"}) {
        if (!stdfs::exists(p.omni.root() / "cache" / dir))
            continue;
        for (const auto& e : stdfs::directory_iterator(p.omni.root() / "cache" / dir)) {
            struct stat st {};
            REQUIRE(::stat(e.path().c_str(), &st) == 0);
            CHECK((st.st_mode & 0777) == 0600);
            ++cached;
        }
    }
    CHECK(cached >= 2);
}

TEST_CASE("credentials from netrc go to their machine only") {
    PrivateIndex p;
    if (!p.ready)
        return;
    const auto netrc = p.omni.scratch() / "netrc";
    fs::atomic_write(netrc, "machine 127.0.0.1 login alice password " + secret + "\n", 0600);
    // The page sends the resolver to "localhost" for the files: another host
    // as far as credentials go, so they must not follow.
    const auto page_path = p.root / "simple/hc-alpha/index.json";
    auto page = json::parse(fs::read_file(page_path));
    for (auto& f : page["files"])
        f["url"] = "http://localhost:" + std::to_string(p.server->port()) + "/files/" +
                   f["filename"].get<std::string>();
    fs::atomic_write(page_path, page.dump());
    stdfs::remove(p.root / "simple/hc-alpha/index.html");
    const auto r =
        p.omni.omni({"--index-url", p.server->url("/simple/"), "install", "--dry-run", "hc-alpha"},
                    {{"NETRC", netrc.string()}});
    INFO(r.err);
    // The files on "localhost" answered 401 (no credentials went there).
    CHECK_FALSE(r.ok());
    CHECK_THAT(r.err, Catch::Contains("localhost"));
    bool page_had_auth = false;
    for (const auto& req : p.server->requests()) {
        const auto host = req["host"].is_string() ? req["host"].get<std::string>() : "";
        if (host.starts_with("localhost"))
            CHECK_FALSE(req["auth"].get<bool>());
        if (req["path"] == "/simple/hc-alpha/" && host.starts_with("127.0.0.1"))
            page_had_auth = page_had_auth || req["auth"].get<bool>();
    }
    CHECK(page_had_auth);
    CHECK_THAT(r.err, !Catch::Contains(secret));
}
