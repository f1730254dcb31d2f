// `omni matrix` beyond versions x interpreters: the resolution axis, cells
// in git worktrees, and bad input for both.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

// omni-demo-app 1.0 needs omni-demo-dep>=2; dep has 1.0, 2.0 and 3.0.
struct AxesFixture {
    test::OmniHome omni;
    stdfs::path links;
    bool ready = false;
    AxesFixture() {
        if (!test::pyenv_python("3.11"))
            return;
        links = omni.scratch() / "links";
        const std::string spec = R"({"packages": [
            {"name": "omni-demo-app", "version": "1.0", "requires": ["omni-demo-dep>=2"]},
            {"name": "omni-demo-dep", "version": "1.0"},
            {"name": "omni-demo-dep", "version": "2.0"},
            {"name": "omni-demo-dep", "version": "3.0"},
            {"name": "omni-demo-modern", "version": "1.0", "requires_python": ">=3.10"},
            {"name": "omni-demo-modern", "version": "2.0", "requires_python": ">=3.12"}]})";
        ProcessOptions make;
        make.argv = {"python3", OMNI_FIXTURES_DIR "/make_index.py",
                     "--root",  links.string(),
                     "--flat",  "--spec-json",
                     spec};
        REQUIRE(run_process(make).ok());
        REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
        ready = true;
    }
    ProcessResult matrix(std::vector<std::string> args, const stdfs::path& cwd = {}) const {
        args.insert(args.begin(), {"--no-index", "--find-links", links.string(), "matrix"});
        return omni.omni(args, {}, cwd);
    }
};

ProcessResult git(const stdfs::path& dir, std::vector<std::string> args) {
    ProcessOptions options;
    options.argv = {
        "git", "-C", dir.string(), "-c", "user.name=omni", "-c", "user.email=omni@example.invalid"};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    return run_process(options);
}

// The test's last line of output: the log ends with omni's "# imported: ..." line.
std::string last_line(const std::string& text) {
    std::string last, line;
    std::istringstream in(text);
    while (std::getline(in, line))
        if (!line.empty() && !line.starts_with("# "))
            last = line;
    return last;
}

std::size_t count_lines(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("omni matrix --resolution: lowest cells get the oldest allowed dependencies") {
    AxesFixture f;
    if (!f.ready)
        return;
    const auto r =
        f.matrix({"omni-demo-app", "--versions", "1.0", "--resolution", "highest,lowest", "--test",
                  "python -c \"import omni_demo_dep as d; print('dep', d.__version__)\"", "--json",
                  (f.omni.scratch() / "r.json").string()});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("x 2 resolutions"));
    const auto report = nlohmann::json::parse(fs::read_file(f.omni.scratch() / "r.json"));
    REQUIRE(report["cells"].size() == 2);
    for (const auto& cell : report["cells"]) {
        const auto log = fs::read_file(cell["log"].get<std::string>());
        if (cell["resolution"] == "lowest")
            CHECK_THAT(log, Catch::Contains("dep 2.0"));
        else
            CHECK_THAT(log, Catch::Contains("dep 3.0"));
    }
    // The two closures are two bubbles; the usual one is what installs reuse.
    CHECK(stdfs::exists(f.omni.root() / "bubbles/cpython-3.11/omni-demo-app-1.0/bubble.json"));
    CHECK(
        stdfs::exists(f.omni.root() / "bubbles/cpython-3.11/omni-demo-app-1.0-lowest/bubble.json"));
    const auto bad = f.matrix({"omni-demo-app", "--resolution", "newest"});
    CHECK(bad.exit_code == exit_status(ErrorCode::usage));
    CHECK_THAT(bad.err, Catch::Contains("newest"));
}

TEST_CASE("omni matrix --worktree: every cell gets its own checkout at HEAD") {
    AxesFixture f;
    if (!f.ready)
        return;
    if (!test::have(!find_program("git").empty(), "git is not on PATH"))
        return;
    const auto project = f.omni.scratch() / "project";
    stdfs::create_directories(project / "tests");
    fs::atomic_write(project / "tests" / "marker.txt", "tracked\n");
    REQUIRE(git(project, {"init", "-q"}).ok());
    REQUIRE(git(project, {"add", "."}).ok());
    REQUIRE(git(project, {"commit", "-q", "-m", "first"}).ok());
    // Not committed: a checkout at HEAD must not see it.
    fs::atomic_write(project / "tests" / "dirty.txt", "uncommitted\n");

    // Runs in the user's subdirectory of its checkout, sees only committed
    // files, and finds no other cell's file.
    const std::string test =
        "test -f marker.txt && test ! -e dirty.txt && test ! -e ../written.txt && "
        "echo $OMNI_MATRIX_CELL > ../written.txt && test \"$(pwd)\" != '" +
        (project / "tests").string() + "' && pwd";
    const auto r = f.matrix({"omni-demo-dep", "--versions", "all", "--worktree", "-j", "2",
                             "--test", test, "--json", (f.omni.scratch() / "w.json").string()},
                            project / "tests");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const auto report = nlohmann::json::parse(fs::read_file(f.omni.scratch() / "w.json"));
    REQUIRE(report["cells"].size() == 3);
    std::set<std::string> dirs;
    for (const auto& cell : report["cells"]) {
        const auto pwd = last_line(fs::read_file(cell["log"].get<std::string>()));
        CHECK_THAT(pwd, Catch::EndsWith("/tests"));
        dirs.insert(pwd);
    }
    CHECK(dirs.size() == 3);
    // Nothing written into the project; every worktree removed again.
    CHECK_FALSE(stdfs::exists(project / "written.txt"));
    const auto worktrees = git(project, {"worktree", "list"});
    CHECK(count_lines(worktrees.out) == 1);
    CHECK(stdfs::is_empty(f.omni.root() / "staging"));

    const auto outside = f.matrix({"omni-demo-dep", "--worktree"}, f.omni.scratch());
    CHECK(outside.exit_code == exit_status(ErrorCode::invalid_input));
    CHECK_THAT(outside.err, Catch::Contains("not inside a git repository"));
}

TEST_CASE("omni matrix --pytest: the project's tests run against each version") {
    AxesFixture f;
    if (!f.ready)
        return;
    // Real pytest, from the distribution's package, packed into wheels.
    const stdfs::path site = "/usr/lib/python3/dist-packages";
    if (!test::have(stdfs::exists(site / "pytest"), "pytest is not installed in " + site.string() +
                                                        " (apt-get install python3-pytest)"))
        return;
    ProcessOptions pack;
    pack.argv = {"python3",   OMNI_FIXTURES_DIR "/wheels_from_site.py",
                 "--site",    site.string(),
                 "--out",     f.links.string(),
                 "pytest",    "pluggy",
                 "iniconfig", "packaging",
                 "attrs"};
    const auto packed = run_process(pack);
    INFO(packed.err);
    REQUIRE(packed.ok());

    const auto project = f.omni.scratch() / "project";
    stdfs::create_directories(project / "tests");
    fs::atomic_write(project / "tests" / "test_dep.py",
                     "import omni_demo_dep\n\n"
                     "def test_modern_api():\n"
                     "    assert omni_demo_dep.__version__ != '1.0', 'needs 2.0 or later'\n");
    const auto r = f.matrix({"omni-demo-dep", "--versions", "all", "--pytest=-q tests", "--json",
                             (f.omni.scratch() / "p.json").string()},
                            project);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    const auto report = nlohmann::json::parse(fs::read_file(f.omni.scratch() / "p.json"));
    REQUIRE(report["cells"].size() == 3);
    for (const auto& cell : report["cells"]) {
        const auto log = fs::read_file(cell["log"].get<std::string>());
        if (cell["version"] == "1.0") {
            CHECK(cell["status"] == "failed");
            CHECK_THAT(cell["detail"].get<std::string>(), Catch::Contains("test_modern_api"));
            CHECK_THAT(log, Catch::Contains("needs 2.0 or later"));
        } else {
            CHECK(cell["status"] == "passed");
            CHECK_THAT(log, Catch::Contains("1 passed"));
        }
    }
    // The cells ran in the project but wrote nothing into it.
    CHECK_FALSE(stdfs::exists(project / ".pytest_cache"));
    CHECK_FALSE(stdfs::exists(project / "tests" / "__pycache__"));
    // pytest came from one bubble of its own, shared by the cells.
    CHECK(stdfs::exists(f.omni.root() / "bubbles/cpython-3.11/pytest-7.2.1/bubble.json"));
}

TEST_CASE("omni matrix --python requires-python: the interpreters the package admits") {
    AxesFixture f;
    if (!f.ready)
        return;
    for (const auto* v : {"3.9", "3.10", "3.12", "3.13"})
        if (!test::pyenv_python(v))
            return;
    const auto r = f.matrix({"omni-demo-modern", "--versions", "all", "--python", "requires-python",
                             "--json", (f.omni.scratch() / "q.json").string()});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("admitted by omni-demo-modern: 3.10, 3.11, 3.12, 3.13"));
    const auto report = nlohmann::json::parse(fs::read_file(f.omni.scratch() / "q.json"));
    std::set<std::string> cells;
    for (const auto& cell : report["cells"])
        cells.insert(cell["python"].get<std::string>() + ":" + cell["version"].get<std::string>());
    // 2.0 needs 3.12; nothing runs on 3.9 or older.
    CHECK(cells == std::set<std::string>{"3.10:1.0", "3.11:1.0", "3.12:1.0", "3.12:2.0", "3.13:1.0",
                                         "3.13:2.0"});
}

TEST_CASE("Requires-Python from a find-links wheel's own METADATA is honoured") {
    AxesFixture f;
    if (!f.ready)
        return;
    // The directory listing carries no Requires-Python; the wheels do.
    const auto newest = f.omni.omni({"--no-index", "--find-links", f.links.string(), "install",
                                     "omni-demo-modern", "--dry-run"});
    INFO(newest.out << newest.err);
    CHECK(newest.exit_code == 0);
    CHECK_THAT(newest.out, Catch::Contains("omni-demo-modern 1.0"));
    const auto pinned = f.omni.omni({"--no-index", "--find-links", f.links.string(), "install",
                                     "omni-demo-modern==2.0", "--dry-run"});
    CHECK(pinned.exit_code == exit_status(ErrorCode::conflict));
    CHECK_THAT(pinned.err, Catch::Contains("omni-demo-modern 2.0 requires Python >=3.12"));
}
