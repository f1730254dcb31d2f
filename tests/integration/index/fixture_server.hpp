#pragma once
// Starts tests/fixtures/index_server.py on 127.0.0.1 over a tree made by
// make_index.py, and reads its request log.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"

namespace omni::test {

inline std::filesystem::path fixtures_dir() {
    return OMNI_FIXTURES_DIR;
}

// A Python 3.7+ for the fixtures, or empty (the caller skips, or fails on CI).
inline std::filesystem::path fixture_python() {
    if (const char* p = std::getenv("OMNI_FIXTURE_PYTHON"))
        return p;
    const char* home = std::getenv("HOME");
    for (const char* v : {"3.11.7", "3.12.1", "3.10.13", "3.13.0", "3.9.18", "3.8.18"}) {
        const auto p =
            std::filesystem::path(home ? home : "/root") / ".pyenv/versions" / v / "bin/python";
        if (std::filesystem::exists(p))
            return p;
    }
    return {};
}

inline bool ci() {
    const char* v = std::getenv("CI");
    return v != nullptr && std::string(v) == "true";
}

// Skips the test (or fails it when CI=true) when no Python is available.
#define OMNI_REQUIRE_FIXTURE_PYTHON()                                  \
    do {                                                               \
        if (::omni::test::fixture_python().empty()) {                  \
            if (::omni::test::ci())                                    \
                FAIL("no Python 3 under ~/.pyenv for the fixtures");   \
            WARN("SKIP: no Python 3 under ~/.pyenv for the fixtures"); \
            return;                                                    \
        }                                                              \
    } while (0)

inline std::string make_index(const std::filesystem::path& root, std::vector<std::string> args) {
    ProcessOptions options;
    options.argv = {fixture_python().string(), (fixtures_dir() / "make_index.py").string(),
                    "--root", root.string()};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    const auto r = run_process(options);
    if (!r.ok())
        throw std::runtime_error("make_index.py failed: " + r.err);
    return r.out;
}

class FixtureServer {
  public:
    FixtureServer(const std::filesystem::path& root, std::vector<std::string> flags = {})
        : log_(root.parent_path() / (root.filename().string() + "-requests.log")) {
        int in[2], out[2];
        if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0)
            throw std::runtime_error("pipe failed");
        std::vector<std::string> argv = {fixture_python().string(),
                                         (fixtures_dir() / "index_server.py").string(),
                                         "--root",
                                         root.string(),
                                         "--log",
                                         log_.string(),
                                         "--max-lifetime",
                                         "300"};
        argv.insert(argv.end(), flags.begin(), flags.end());
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(in[0], 0);
            ::dup2(out[1], 1);
            std::vector<char*> cargv;
            for (auto& a : argv)
                cargv.push_back(a.data());
            cargv.push_back(nullptr);
            ::execv(cargv[0], cargv.data());
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        stdin_ = in[1];
        std::string line;
        char c;
        while (::read(out[0], &c, 1) == 1 && c != '\n')
            line += c;
        ::close(out[0]);
        if (line.empty())
            throw std::runtime_error("index_server.py did not start");
        port_ = std::stoi(line);
    }
    FixtureServer(const FixtureServer&) = delete;
    FixtureServer& operator=(const FixtureServer&) = delete;
    ~FixtureServer() {
        ::close(stdin_);  // EOF ends the server
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }

    std::string url(const std::string& path = "/simple/") const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    int port() const { return port_; }

    std::vector<nlohmann::json> requests() const {
        // The server logs a request just after its last byte went out.
        ::usleep(150'000);
        std::vector<nlohmann::json> out;
        if (!std::filesystem::exists(log_))
            return out;
        const auto text = fs::read_file(log_);
        std::size_t start = 0;
        while (start < text.size()) {
            const auto end = text.find('\n', start);
            out.push_back(nlohmann::json::parse(text.substr(start, end - start)));
            if (end == std::string::npos)
                break;
            start = end + 1;
        }
        return out;
    }
    // Requests (GET) whose path contains `needle`, and the body bytes they carried.
    std::size_t count(const std::string& needle) const {
        std::size_t n = 0;
        for (const auto& r : requests())
            if (r["path"].get<std::string>().find(needle) != std::string::npos)
                ++n;
        return n;
    }
    std::size_t bytes(const std::string& needle) const {
        std::size_t n = 0;
        for (const auto& r : requests())
            if (r["path"].get<std::string>().find(needle) != std::string::npos)
                n += r["bytes"].get<std::size_t>();
        return n;
    }

  private:
    std::filesystem::path log_;
    pid_t pid_ = -1;
    int stdin_ = -1;
    int port_ = 0;
};

}  // namespace omni::test
