#include <catch2/catch.hpp>
#include <csignal>

#include "omni/util/error.hpp"
#include "omni/util/process.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
using namespace std::chrono_literals;

namespace {
ProcessOptions sh(const std::string& script) {
    ProcessOptions options;
    options.argv = {"/bin/sh", "-c", script};
    return options;
}
}  // namespace

TEST_CASE("captures stdout and stderr and the exit code") {
    const auto r = run_process(sh("echo out; echo err >&2; exit 3"));
    CHECK(r.out == "out\n");
    CHECK(r.err == "err\n");
    CHECK(r.exit_code == 3);
    CHECK_FALSE(r.ok());
    CHECK(r.describe() == "exit code 3");
}

TEST_CASE("argv reaches the child without a shell in between") {
    ProcessOptions options;
    options.argv = {"printf", "%s|", "a b", "$HOME", "*"};
    const auto r = run_process(options);
    CHECK(r.ok());
    CHECK(r.out == "a b|$HOME|*|");
}

TEST_CASE("megabytes on both pipes do not deadlock") {
    // 4 MiB to each stream, interleaved, far beyond a pipe's buffer.
    const auto r =
        run_process(sh("i=0; while [ $i -lt 64 ]; do head -c 65536 /dev/zero | tr '\\0' o; "
                       "head -c 65536 /dev/zero | tr '\\0' e >&2; i=$((i+1)); done"));
    CHECK(r.ok());
    CHECK(r.out.size() == 64u * 65536u);
    CHECK(r.err.size() == 64u * 65536u);
    CHECK(r.out.find_first_not_of('o') == std::string::npos);
}

TEST_CASE("a child that hangs past its timeout is killed") {
    auto options = sh("echo started; sleep 30");
    options.timeout = 300ms;
    options.new_process_group = true;
    const auto start = std::chrono::steady_clock::now();
    const auto r = run_process(options);
    CHECK(r.timed_out);
    CHECK_FALSE(r.ok());
    CHECK(r.out == "started\n");
    CHECK(std::chrono::steady_clock::now() - start < 10s);
}

TEST_CASE("a timeout holds when the child closed its pipes") {
    auto options = sh("exec >/dev/null 2>&1; sleep 30");
    options.timeout = 200ms;
    const auto r = run_process(options);
    CHECK(r.timed_out);
}

TEST_CASE("a signal is reported") {
    const auto r = run_process(sh("kill -TERM $$"));
    CHECK(r.term_signal == SIGTERM);
    CHECK_THAT(r.describe(), Catch::Contains("signal 15"));
}

TEST_CASE("stdin data and cwd and environment reach the child") {
    test::TempDir dir;
    auto options = sh("cat; pwd; echo \"$OMNI_T1|${OMNI_T2-unset}\"");
    options.stdin_data = std::string(200000, 'i') + "\n";
    options.cwd = dir.path();
    options.env["OMNI_T1"] = "one";
    options.env["OMNI_T2"] = std::nullopt;
    ::setenv("OMNI_T2", "inherited", 1);
    const auto r = run_process(options);
    ::unsetenv("OMNI_T2");
    REQUIRE(r.ok());
    const auto expected = std::string(200000, 'i') + "\n" +
                          std::filesystem::canonical(dir.path()).string() + "\none|unset\n";
    CHECK(r.out == expected);
}

TEST_CASE("a cleared environment has only what was given") {
    auto options = sh("env");
    options.clear_environment = true;
    options.env["ONLY"] = "this";
    const auto r = run_process(options);
    CHECK(r.out.find("ONLY=this") != std::string::npos);
    CHECK(r.out.find("HOME=") == std::string::npos);
}

TEST_CASE("callbacks stream output and capture_limit keeps the tail") {
    auto options = sh("seq 1 20000");
    std::size_t streamed = 0;
    options.on_stdout = [&](std::string_view chunk) { streamed += chunk.size(); };
    options.capture_limit = 12;
    const auto r = run_process(options);
    CHECK(r.out == "19999\n20000\n");
    CHECK(streamed > 100000);
}

TEST_CASE("a missing program is one clear error") {
    ProcessOptions options;
    options.argv = {"omni-no-such-program"};
    try {
        run_process(options);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::process);
        CHECK_THAT(e.what(), Catch::Contains("omni-no-such-program"));
    }
}

TEST_CASE("the child's PATH decides where its program is found") {
    test::TempDir dir;
    test::write_text(dir / "bin" / "omni-test-tool", "#!/bin/sh\necho found in bin\n");
    std::filesystem::permissions(dir / "bin" / "omni-test-tool", std::filesystem::perms::owner_all);
    ProcessOptions options;
    options.argv = {"omni-test-tool"};
    options.env["PATH"] = (dir / "bin").string() + ":/usr/bin:/bin";
    const auto r = run_process(options);
    CHECK(r.out == "found in bin\n");
}

TEST_CASE("shell_quote: one word for sh whatever the text holds") {
    CHECK(shell_quote("plain") == "'plain'");
    CHECK(shell_quote("it's here") == "'it'\\''s here'");
    CHECK(shell_quote("") == "''");
    ProcessOptions options;
    options.argv = {"/bin/sh", "-c", "printf %s " + shell_quote("a 'b' $HOME `x`")};
    const auto r = run_process(options);
    CHECK(r.out == "a 'b' $HOME `x`");
}
