#include <thread>

#include <catch2/catch.hpp>

#include "index/fixture_server.hpp"
#include "omni/index/downloader.hpp"
#include "omni/index/index_client.hpp"
#include "omni/util/hash.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
using namespace std::chrono_literals;

namespace {

IndexOptions loopback(const test::FixtureServer& server) {
    IndexOptions options;
    options.index_url = server.url("/simple/");
    options.transport.backoff = 20ms;
    options.transport.max_backoff = 200ms;
    return options;
}

std::size_t files_under(const std::filesystem::path& dir) {
    std::size_t n = 0;
    if (!std::filesystem::exists(dir))
        return 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
        if (e.is_regular_file())
            ++n;
    return n;
}

}  // namespace

TEST_CASE("HTTP 500s are retried until the download succeeds") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--pkg", "alpha==1.0"});
    test::FixtureServer server(dir / "index", {"--fail", "/files/*=2"});
    IndexClient client(Home(dir / "home"), loopback(server));
    const auto page = client.project_page("alpha");
    REQUIRE(page.files.size() == 1);
    const auto path = client.fetch_wheel(page.files[0]);
    CHECK(sha256_file(path) == *page.files[0].sha256());
    CHECK(path.parent_path().filename() == *page.files[0].sha256());
    CHECK(server.count("/files/alpha") == 3);
}

TEST_CASE("too many failures end in a network error naming the URL") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--pkg", "alpha==1.0"});
    test::FixtureServer server(dir / "index", {"--fail", "/files/*=100"});
    IndexClient client(Home(dir / "home"), loopback(server));
    const auto file = client.project_page("alpha").files.at(0);
    try {
        client.fetch_wheel(file);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::network);
        CHECK_THAT(e.what(), Catch::Contains(file.url));
        CHECK_THAT(e.what(), Catch::Contains("HTTP 500"));
    }
    CHECK(server.count("/files/alpha") == 4);
    CHECK(files_under(dir / "home" / "cache" / "wheels") == 0);
}

TEST_CASE("a connection dropped mid-body is resumed with Range") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--count", "1", "--padding", "200000"});
    test::FixtureServer server(dir / "index", {"--drop", "/files/*=1"});
    IndexClient client(Home(dir / "home"), loopback(server));
    const auto file = client.project_page("bench000").files.at(0);
    const auto path = client.fetch_wheel(file);
    CHECK(sha256_file(path) == *file.sha256());
    std::vector<nlohmann::json> wheel_requests;
    for (const auto& r : server.requests())
        if (r["path"].get<std::string>().starts_with("/files/"))
            wheel_requests.push_back(r);
    REQUIRE(wheel_requests.size() == 2);
    CHECK(wheel_requests[0]["range"].is_null());
    CHECK(wheel_requests[1]["status"] == 206);
    CHECK(wheel_requests[1]["range"] ==
          "bytes=" + std::to_string(wheel_requests[0]["bytes"].get<std::size_t>()) + "-");
    // Every byte crossed the wire once.
    CHECK(server.bytes("/files/") == std::filesystem::file_size(path));
}

TEST_CASE("wrong bytes are an integrity error and nothing is cached") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--pkg", "alpha==1.0"});
    test::FixtureServer server(dir / "index", {"--corrupt", "/files/*=-1"});
    IndexClient client(Home(dir / "home"), loopback(server));
    const auto file = client.project_page("alpha").files.at(0);
    try {
        client.fetch_wheel(file);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::integrity);
        CHECK_THAT(e.what(), Catch::Contains(file.url));
    }
    CHECK(files_under(dir / "home" / "cache" / "wheels") == 0);
    CHECK(files_under(dir / "home" / "staging") == 0);
}

TEST_CASE("a hanging server ends in a timeout error") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--count", "1", "--padding", "100000"});
    test::FixtureServer server(dir / "index", {"--hang", "/files/*=-1"});
    auto options = loopback(server);
    options.transport.low_speed_time = 1s;
    // curl judges speed over a window of about five seconds after the burst
    // of the first bytes, so one stalled attempt ends after some 6 s.
    options.transport.max_attempts = 1;
    IndexClient client(Home(dir / "home"), options);
    const auto file = client.project_page("bench000").files.at(0);
    const auto start = std::chrono::steady_clock::now();
    try {
        client.fetch_wheel(file);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::network);
        CHECK_THAT(e.what(), Catch::Contains(file.url));
        CHECK_THAT(e.what(), Catch::Contains("imeout"));
    }
    CHECK(std::chrono::steady_clock::now() - start < 15s);
}

TEST_CASE("a damaged cache entry is detected and fetched again") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--pkg", "alpha==1.0"});
    test::FixtureServer server(dir / "index");
    IndexClient client(Home(dir / "home"), loopback(server));
    const auto file = client.project_page("alpha").files.at(0);
    const auto path = client.fetch_wheel(file);
    fs::atomic_write(path, "garbage");
    const auto again = client.fetch_wheel(file);
    CHECK(again == path);
    CHECK(sha256_file(again) == *file.sha256());
    CHECK(server.count("/files/alpha") == 2);
}

TEST_CASE("threads fetching the same wheel download it once") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--count", "1", "--padding", "100000"});
    test::FixtureServer server(dir / "index", {"--delay-ms", "200"});
    IndexClient client(Home(dir / "home"), loopback(server));
    const auto file = client.project_page("bench000").files.at(0);
    std::vector<std::filesystem::path> paths(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < paths.size(); ++i)
        threads.emplace_back([&, i] { paths[i] = client.fetch_wheel(file); });
    for (auto& t : threads)
        t.join();
    for (const auto& p : paths)
        CHECK(p == paths[0]);
    CHECK(server.count("/files/bench000") == 1);
}

TEST_CASE("processes fetching the same wheel download it once") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--count", "1", "--padding", "100000"});
    test::FixtureServer server(dir / "index", {"--delay-ms", "200"});
    const auto options = loopback(server);
    const auto file = IndexClient(Home(dir / "home"), options).project_page("bench000").files.at(0);
    std::vector<pid_t> children;
    for (int i = 0; i < 3; ++i) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            try {
                IndexClient(Home(dir / "home"), options).fetch_wheel(file);
                ::_exit(0);
            } catch (...) {
                ::_exit(1);
            }
        }
        children.push_back(pid);
    }
    for (const auto pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    CHECK(server.count("/files/bench000") == 1);
}

TEST_CASE("the downloader fetches many files at once and verifies each") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--count", "12"});
    test::FixtureServer server(dir / "index");
    IndexClient client(Home(dir / "home"), loopback(server));
    std::vector<DistFile> files;
    for (int i = 0; i < 12; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "bench%03d", i);
        files.push_back(client.project_page(name).files.at(0));
    }
    const auto paths = client.fetch_wheels(files);
    REQUIRE(paths.size() == files.size());
    for (std::size_t i = 0; i < files.size(); ++i)
        CHECK(sha256_file(paths[i]) == *files[i].sha256());
    CHECK(server.count("/files/") == 12);
}

TEST_CASE("download progress totals the Content-Length, also across a resumed transfer") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    test::TempDir dir;
    test::make_index(dir / "index", {"--count", "1", "--padding", "200000"});
    test::FixtureServer server(dir / "index", {"--drop", "/files/*=1"});
    IndexClient client(Home(dir / "home"), loopback(server));
    const auto file = client.project_page("bench000").files.at(0);
    TransportOptions transport;
    transport.backoff = 20ms;
    transport.max_backoff = 200ms;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> reports;
    DownloadRequest request{file.url, dir / "out" / file.filename, *file.sha256(), {}};
    request.progress = [&](std::uint64_t received, std::uint64_t total) {
        reports.emplace_back(received, total);
    };
    const auto outcome = Downloader(transport).fetch(request);
    CHECK(outcome.attempts == 2);
    const auto size = std::filesystem::file_size(request.dest);
    REQUIRE_FALSE(reports.empty());
    CHECK(reports.back() == std::pair<std::uint64_t, std::uint64_t>(size, size));
    for (const auto& [received, total] : reports) {
        CHECK(total == size);
        CHECK(received <= size);
    }

    // A local copy reports once, when it is done.
    reports.clear();
    DownloadRequest local{request.dest.string(), dir / "copy" / file.filename, *file.sha256(), {}};
    local.progress = request.progress;
    Downloader(transport).fetch(local);
    CHECK(reports == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{size, size}});
}
