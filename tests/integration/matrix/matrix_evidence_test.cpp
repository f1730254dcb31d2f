// The cell runs the cell's version: a project that is itself the tested
// package (flat and src layouts) is tested with --pytest, --test and
// --worktree, and every cell's result and evidence are those of its own
// version, never the checkout's copy of the package.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "omni/matrix/cell_evidence.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

// omni-selfpkg 1.0 has greet(); 2.0 and 3.0 add shout(). The checkout holds
// 9.9.dev0, which has both: a cell that imported it would pass every test.
std::string version_source(const std::string& version, bool with_shout) {
    std::string text = "__version__ = '" + version + "'\n\ndef greet():\n    return 'hello'\n";
    if (with_shout)
        text += "\ndef shout():\n    return 'HELLO ' + __version__\n";
    return text;
}

nlohmann::json package(const std::string& version, bool with_shout) {
    return {{"name", "omni-selfpkg"},
            {"version", version},
            {"tag", "py2.py3-none-any"},
            {"files", {{"omni_selfpkg/__init__.py", version_source(version, with_shout)}}}};
}

ProcessResult git(const stdfs::path& dir, std::vector<std::string> args) {
    ProcessOptions options;
    options.argv = {
        "git", "-C", dir.string(), "-c", "user.name=omni", "-c", "user.email=omni@example.invalid"};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    return run_process(options);
}

struct SelfFixture {
    test::OmniHome omni;
    stdfs::path links;
    bool ready = false;
    explicit SelfFixture(bool with_pytest) {
        if (!test::pyenv_python("3.11"))
            return;
        links = omni.scratch() / "links";
        const nlohmann::json spec = {
            {"packages", {package("1.0", false), package("2.0", true), package("3.0", true)}}};
        ProcessOptions make;
        make.argv = {"python3",  OMNI_FIXTURES_DIR "/make_index.py",
                     "--root",   links.string(),
                     "--flat",   "--spec-json",
                     spec.dump()};
        REQUIRE(run_process(make).ok());
        if (with_pytest) {
            const stdfs::path site = "/usr/lib/python3/dist-packages";
            if (!test::have(stdfs::exists(site / "pytest"),
                            "pytest is not installed in " + site.string() +
                                " (apt-get install python3-pytest)"))
                return;
            ProcessOptions pack;
            pack.argv = {"python3",   OMNI_FIXTURES_DIR "/wheels_from_site.py",
                         "--site",    site.string(),
                         "--out",     links.string(),
                         "pytest",    "pluggy",
                         "iniconfig", "packaging",
                         "attrs"};
            REQUIRE(run_process(pack).ok());
        }
        REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
        ready = true;
    }

    // A git checkout of the package itself at 9.9.dev0, in the flat or the
    // src layout with tests beside the package, or with its tests inside
    // the package (`inpkg`, as colorama has them: a relative import, and a
    // test module whose parent package is the tested one), with tests that
    // need shout().
    stdfs::path project(const std::string& layout) const {
        const auto root = omni.scratch() / ("project-" + layout);
        const auto package_dir =
            layout == "src" ? root / "src" / "omni_selfpkg" : root / "omni_selfpkg";
        const auto tests = layout == "inpkg" ? package_dir / "tests" : root / "tests";
        stdfs::create_directories(package_dir);
        stdfs::create_directories(tests);
        fs::atomic_write(package_dir / "__init__.py", version_source("9.9.dev0", true));
        fs::atomic_write(tests / "__init__.py", "");
        fs::atomic_write(tests / "test_api.py",
                         std::string(layout == "inpkg" ? "from .. import shout\n"
                                                       : "from omni_selfpkg import shout\n") +
                             "import omni_selfpkg\n\n"
                             "def test_shout():\n"
                             "    assert shout() == 'HELLO ' + omni_selfpkg.__version__\n");
        // The src layout's usual pytest setting puts src/ on sys.path.
        if (layout == "src")
            fs::atomic_write(root / "pytest.ini", "[pytest]\npythonpath = src\n");
        REQUIRE(git(root, {"init", "-q"}).ok());
        REQUIRE(git(root, {"add", "."}).ok());
        REQUIRE(git(root, {"commit", "-q", "-m", "9.9.dev0"}).ok());
        return root;
    }

    nlohmann::json matrix(std::vector<std::string> args, const stdfs::path& cwd,
                          int expected_exit) const {
        const auto json = omni.scratch() / "report.json";
        const auto junit = omni.scratch() / "report.xml";
        if (std::find(args.begin(), args.end(), "--versions") == args.end())
            args.insert(args.begin(), {"--versions", "all"});
        args.insert(args.begin(), {"--no-index", "--find-links", links.string(), "matrix",
                                   "omni-selfpkg", "-j", "2"});
        args.insert(args.end(), {"--json", json.string(), "--junit", junit.string()});
        const auto r = omni.omni(args, {}, cwd);
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == expected_exit);
        CHECK_THAT(r.out, Catch::Contains("imported"));
        auto report = nlohmann::json::parse(fs::read_file(json));
        report["junit"] = fs::read_file(junit);
        report["stdout"] = r.out;
        return report;
    }
};

// 1.0 fails (no shout), 2.0 and 3.0 pass; each imported its own version
// from its own bubble.
void check_own_versions(const nlohmann::json& report) {
    REQUIRE(report["cells"].size() == 3);
    for (const auto& cell : report["cells"]) {
        const auto version = cell["version"].get<std::string>();
        INFO(version << ": " << cell.dump() << "\n"
                     << fs::read_file(cell["log"].get<std::string>()));
        CHECK(cell["status"] == (version == "1.0" ? "failed" : "passed"));
        const auto& evidence = cell["evidence"];
        REQUIRE(evidence.is_object());
        CHECK(evidence["module"] == "omni_selfpkg");
        CHECK(evidence["version"] == version);
        CHECK(evidence["via"] == "importlib.metadata");
        CHECK(evidence["matches"] == true);
        CHECK_THAT(evidence["file"].get<std::string>(),
                   Catch::Contains("/bubbles/cpython-3.11/omni-selfpkg-" + version + "/"));
        CHECK_THAT(
            report["junit"].get<std::string>(),
            Catch::Contains("<property name=\"imported.version\" value=\"" + version + "\"/>"));
    }
    CHECK_THAT(report["stdout"].get<std::string>(), Catch::Contains("3.0 from the bubble"));
    CHECK_THAT(report["stdout"].get<std::string>(), Catch::Contains("1.0 from the bubble"));
}

}  // namespace

TEST_CASE("omni matrix: each cell imports its own version, not the checkout's") {
    SelfFixture f(true);
    if (!f.ready)
        return;
    if (!test::have(!find_program("git").empty(), "git is not on PATH"))
        return;
    // One home for all nine runs: the bubbles are built once.
    for (const std::string layout : {"flat", "src", "inpkg"}) {
        INFO(layout << " layout");
        const auto root = f.project(layout);
        const std::string pytest =
            layout == "inpkg" ? "--pytest=-q omni_selfpkg/tests" : "--pytest=-q tests";
        // In the project, where pytest puts the rootdir (and for src,
        // pytest.ini's pythonpath) on sys.path.
        check_own_versions(f.matrix({pytest}, root, 1));
        CHECK_FALSE(stdfs::exists(root / ".pytest_cache"));
        check_own_versions(f.matrix({pytest, "--worktree"}, root, 1));
        // A command run where the package is: the current directory (flat)
        // or src/ on PYTHONPATH comes first on sys.path.
        const std::string prefix =
            layout == "src" ? "PYTHONPATH=src${PYTHONPATH:+:$PYTHONPATH} " : "";
        check_own_versions(
            f.matrix({"--worktree", "--test",
                      prefix + "python -c 'from omni_selfpkg import shout; print(shout())'"},
                     root, 1));
    }
}

TEST_CASE("omni matrix: a cell that imported another copy fails as wrong version imported") {
    SelfFixture f(false);
    if (!f.ready)
        return;
    const auto elsewhere = f.omni.scratch() / "elsewhere";
    stdfs::create_directories(elsewhere / "omni_selfpkg");
    fs::atomic_write(elsewhere / "omni_selfpkg" / "__init__.py", version_source("9.9.dev0", true));
    // The test takes omni's import hook out on purpose and imports the copy.
    const std::string test =
        "python -c \"import sys; sys.meta_path[:] = [m for m in sys.meta_path if "
        "type(m).__name__ != '_CellFinder']; sys.path.insert(0, '" +
        elsewhere.string() + "'); import omni_selfpkg\"";
    const auto report = f.matrix({"--versions", "2.0", "--test", test}, f.omni.scratch(), 1);
    REQUIRE(report["cells"].size() == 1);
    const auto& cell = report["cells"][0];
    CHECK(cell["status"] == "failed");
    CHECK_THAT(cell["detail"].get<std::string>(), Catch::StartsWith("wrong version imported"));
    CHECK(cell["evidence"]["matches"] == false);
    CHECK(cell["evidence"]["from_bubble"] == false);
    CHECK_THAT(cell["evidence"]["file"].get<std::string>(),
               Catch::Contains("elsewhere/omni_selfpkg/__init__.py"));
}

TEST_CASE("omni matrix: the default test works on Python 3.6 and 3.7") {
    SelfFixture f(false);
    if (!f.ready)
        return;
    for (const auto* v : {"3.6", "3.7"})
        if (!test::pyenv_python(v))
            return;
    const auto report =
        f.matrix({"--python", "3.6,3.7,3.11", "--versions", "1.0,3.0"}, f.omni.scratch(), 0);
    REQUIRE(report["cells"].size() == 6);
    for (const auto& cell : report["cells"]) {
        INFO(cell.dump());
        CHECK(cell["status"] == "passed");
        CHECK(cell["evidence"]["version"] == cell["version"]);
        CHECK(cell["evidence"]["matches"] == true);
        // 3.8+ has importlib.metadata; older ones read the dist-info.
        CHECK(cell["evidence"]["via"] ==
              (cell["python"] == "3.11" ? "importlib.metadata" : "dist-info"));
    }
}

TEST_CASE("cell hook: on every interpreter the bubble wins and the evidence is recorded") {
    // The hook on its own, on each interpreter there is (2.7 included, which
    // cannot have a main env but runs the same sitecustomize): a bubble with
    // pkg 2.0 and its dist-info, a copy 9.9 in the current directory.
    test::TempDir dir;
    const auto bubble = dir.path() / "bubble";
    stdfs::create_directories(bubble / "omni_selfpkg");
    stdfs::create_directories(bubble / "omni_selfpkg-2.0.dist-info");
    fs::atomic_write(bubble / "omni_selfpkg" / "__init__.py", version_source("2.0", true));
    fs::atomic_write(bubble / "omni_selfpkg-2.0.dist-info" / "METADATA",
                     "Metadata-Version: 2.1\nName: omni-selfpkg\nVersion: 2.0\n\n");
    const auto cwd = dir.path() / "checkout";
    stdfs::create_directories(cwd / "omni_selfpkg");
    fs::atomic_write(cwd / "omni_selfpkg" / "__init__.py", version_source("9.9", true));
    int tried = 0;
    for (const auto* v : {"2.7", "3.6", "3.7", "3.8", "3.13"}) {
        const auto python = test::pyenv_python(v);
        if (!python)
            continue;
        ++tried;
        const matrix::CellHook hook{
            "omni-selfpkg", {"omni_selfpkg"}, bubble, dir.path() / (std::string("hook-") + v)};
        ProcessOptions run;
        run.argv = {python->string(), "-c",
                    "import sys; sys.path.insert(0, '.'); import omni_selfpkg; "
                    "sys.stdout.write(omni_selfpkg.__version__)"};
        run.cwd = cwd;
        for (auto& [key, value] : matrix::install_hook(hook, bubble.string()))
            run.env[key] = value;
        const auto r = run_process(run);
        INFO(v << ": " << r.out << r.err);
        REQUIRE(r.ok());
        CHECK(r.out == "2.0");
        if (std::string(v) != "2.7") {
            // What pytest does with a test inside the package
            // (omni_selfpkg/tests/test_x.py): it loads the plugins that
            // PYTEST_PLUGINS names, then, as 8.3 does, imports the parent
            // package from the checkout's file unless sys.modules has it;
            // 8.1 and 8.2 first ask every sys.meta_path finder with the
            // checkout's directories as the path. The bubble wins in both.
            for (const std::string pytest : {"8.3", "8.1"}) {
                ProcessOptions as_pytest = run;
                as_pytest.argv = {python->string(), "-c", R"(
import importlib.util, os, sys
for plugin in os.environ.get("PYTEST_PLUGINS", "").split(","):
    if plugin:
        __import__(plugin)
        configure = getattr(sys.modules[plugin], "pytest_configure", None)
        if configure:
            configure(None)
name, places = "omni_selfpkg", [os.getcwd(), os.path.join(os.getcwd(), "omni_selfpkg")]
module = sys.modules.get(name)
if module is None:
    spec = None
    if sys.argv[1] == "8.1":
        for finder in sys.meta_path:
            spec = finder.find_spec(name, places)
            if spec is not None:
                break
    if spec is None:
        spec = importlib.util.spec_from_file_location(name, os.path.join(places[1], "__init__.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
sys.stdout.write(module.__version__)
)",
                                  pytest};
                if (pytest == "8.1")  // without the plugin: the finder alone
                    as_pytest.env["PYTEST_PLUGINS"] = "";
                const auto p = run_process(as_pytest);
                INFO("pytest " << pytest << ": " << p.out << p.err);
                REQUIRE(p.ok());
                CHECK(p.out == "2.0");
            }
        }
        const auto evidence = matrix::read_evidence(hook, "2.0");
        CHECK(evidence.matches);
        CHECK(evidence.version == "2.0");
        const bool old =
            std::string(v) == "2.7" || std::string(v) == "3.6" || std::string(v) == "3.7";
        CHECK(evidence.via == (old ? "dist-info" : "importlib.metadata"));
        CHECK(evidence.file == bubble / "omni_selfpkg" / "__init__.py");
        CHECK_FALSE(matrix::read_evidence(hook, "3.0").matches);
    }
    CHECK(tried > 0);
}
