// Every transfer is bounded: a trickling server times out, a huge page and
// a wheel server that ignores Range do not fill memory, and a METADATA member
// declaring 2 GiB is refused before anything is allocated. omni's peak RSS
// (the child's ru_maxrss) is measured for each and must stay under 100 MiB.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "integration/index/fixture_server.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;
using nlohmann::json;

namespace {

constexpr long rss_bound_kib = 100 * 1024;

// omni ARGS under a Python parent that reports the child's peak RSS (KiB)
// on its last stdout line.
struct Measured {
    ProcessResult result;
    long max_rss_kib = 0;
};

struct BoundsIndex {
    test::OmniHome omni;
    test::TempDir served;
    stdfs::path root = served / "index";
    stdfs::path control = served / "control.json";
    std::optional<test::FixtureServer> server;
    bool ready = false;

    explicit BoundsIndex(bool big = false) {
        if (!test::pyenv_python("3.11") || test::fixture_python().empty())
            return;
        test::make_index(root, {"--spec-json", big ? R"({"packages": [
            {"name": "hb-big", "version": "1.0", "padding": 41943040}]})"
                                                   : R"({"packages": [
            {"name": "hb-small", "version": "1.0"}]})"});
        fs::atomic_write(control, "{}");
        server.emplace(root, std::vector<std::string>{"--control", control.string()});
        REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
        ready = true;
    }
    void faults(const json& settings) const {
        fs::atomic_write(control, settings.dump());
        ::usleep(20'000);
    }
    Measured omni_measured(std::vector<std::string> args,
                           const std::map<std::string, std::string>& env = {}) const {
        std::vector<std::string> argv = {
            test::fixture_python().string(),
            "-c",
            "import os, resource, subprocess, sys\n"
            "r = subprocess.run(sys.argv[1:])\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            "sys.exit(r.returncode)\n",
            OMNI_BINARY,
            "--index-url",
            server->url("/simple/")};
        argv.insert(argv.end(), args.begin(), args.end());
        ProcessOptions options;
        options.argv = argv;
        options.cwd = omni.scratch();
        options.env = {{"OMNI_HOME", omni.root().string()},
                       {"PYENV_ROOT", test::pyenv_root().string()},
                       {"OMNI_PYTHON", std::nullopt},
                       {"VIRTUAL_ENV", std::nullopt}};
        for (const auto& [k, v] : env)
            options.env[k] = v;
        options.timeout = std::chrono::seconds(120);
        Measured m;
        m.result = run_process(options);
        const auto& out = m.result.out;
        const auto last = out.find_last_of('\n', out.size() >= 2 ? out.size() - 2 : 0);
        m.max_rss_kib = std::stol(out.substr(last == std::string::npos ? 0 : last + 1));
        return m;
    }
};

}  // namespace

TEST_CASE("bounds: a server trickling bytes ends in a timeout naming the URL and the bound") {
    BoundsIndex b;
    if (!b.ready)
        return;
    b.faults({{"trickle", {{"/simple/hb-small/", 2}}}});
    const auto m =
        b.omni_measured({"install", "--dry-run", "hb-small"}, {{"OMNI_HTTP_TIMEOUT", "1"}});
    INFO(m.result.err);
    CHECK(m.result.exit_code == exit_status(ErrorCode::network));
    CHECK_THAT(m.result.err, Catch::Contains(b.server->url("/simple/hb-small/")) &&
                                 Catch::Contains("1024 bytes/s for 1 s") &&
                                 Catch::Contains("OMNI_HTTP_TIMEOUT"));
    // A value that is not a number is an error naming the variable.
    const auto bad = b.omni.omni({"install", "--dry-run", "hb-small"}, {{"PIP_TIMEOUT", "soon"}});
    CHECK(bad.exit_code == exit_status(ErrorCode::invalid_input));
    CHECK_THAT(bad.err, Catch::Contains("PIP_TIMEOUT is 'soon'"));
}

TEST_CASE("bounds: a huge page is refused at its cap, in bounded memory") {
    BoundsIndex b;
    if (!b.ready)
        return;
    b.faults({{"huge", {{"/simple/hb-small/", 2147483648LL}}}});
    const auto m = b.omni_measured({"install", "--dry-run", "hb-small"});
    INFO(m.result.err);
    CHECK(m.result.exit_code == exit_status(ErrorCode::network));
    CHECK_THAT(m.result.err, Catch::Contains(b.server->url("/simple/hb-small/")) &&
                                 Catch::Contains("more than 67108864 bytes") &&
                                 Catch::Contains("index.max-page-size"));
    CHECK(m.max_rss_kib < rss_bound_kib);
    WARN("peak RSS with a 2 GiB page: " << m.max_rss_kib << " KiB");
}

TEST_CASE("bounds: a 40 MiB wheel from a server ignoring Range is streamed to disk") {
    BoundsIndex b(true);
    if (!b.ready)
        return;
    b.faults({{"no_range", true}});
    const auto m = b.omni_measured({"install", "--dry-run", "hb-big"});
    INFO(m.result.err);
    CHECK(m.result.ok());
    CHECK_THAT(m.result.out, Catch::Contains("hb-big 1.0"));
    CHECK(m.max_rss_kib < rss_bound_kib);
    WARN("peak RSS reading METADATA of a 40 MiB wheel without Range: " << m.max_rss_kib << " KiB");
}

TEST_CASE("bounds: a METADATA member declaring 2 GiB is refused before it is read") {
    BoundsIndex b;
    if (!b.ready)
        return;
    // Rewrite the wheel's central directory: METADATA claims 2 GiB.
    const auto page = json::parse(fs::read_file(b.root / "simple/hb-small/index.json"));
    const auto name = page["files"][0]["filename"].get<std::string>();
    const auto wheel = b.root / "files" / name;
    ProcessOptions patch;
    patch.argv = {test::fixture_python().string(), "-c",
                  "import hashlib, json, struct, sys\n"
                  "data = bytearray(open(sys.argv[1], 'rb').read())\n"
                  "at = data.rfind(b'.dist-info/METADATA', 0, len(data) - 22)\n"
                  "cd = data.rfind(b'PK\\x01\\x02', 0, at)\n"
                  "struct.pack_into('<I', data, cd + 24, 2**31)\n"
                  "open(sys.argv[1], 'wb').write(data)\n"
                  "page = json.load(open(sys.argv[2]))\n"
                  "page['files'][0]['hashes']['sha256'] = hashlib.sha256(data).hexdigest()\n"
                  "json.dump(page, open(sys.argv[2], 'w'))\n",
                  wheel.string(), (b.root / "simple/hb-small/index.json").string()};
    REQUIRE(run_process(patch).ok());
    stdfs::remove(b.root / "simple/hb-small/index.html");
    const auto m = b.omni_measured({"install", "--dry-run", "hb-small"});
    INFO(m.result.err);
    CHECK(m.result.exit_code == exit_status(ErrorCode::integrity));
    CHECK_THAT(m.result.err, Catch::Contains("declares 2147483648 bytes") &&
                                 Catch::Contains("index.max-metadata-size"));
    CHECK(m.max_rss_kib < rss_bound_kib);
}
