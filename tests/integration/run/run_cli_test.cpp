// `omni run` as a user types it, against real interpreters and a
// find-links directory of generated wheels.
#include <catch2/catch.hpp>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

struct RunFixture {
    test::OmniHome omni;
    stdfs::path links;
    bool ready = false;

    RunFixture() {
        if (!test::pyenv_python("3.11"))
            return;
        links = omni.scratch() / "links";
        ProcessOptions make;
        make.argv = {"python3",        OMNI_FIXTURES_DIR "/make_index.py",
                     "--root",         links.string(),
                     "--flat",         "--spec-json",
                     R"({"packages": [
                        {"name": "demo-lib", "version": "1.0"}, {"name": "demo-lib", "version": "2.0"},
                        {"name": "demo-extra", "version": "0.5"}]})"};
        REQUIRE(run_process(make).ok());
        REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
        REQUIRE(
            omni.omni({"config", "set", "index.find-links", "[\"" + links.string() + "\"]"}).ok());
        // The main env has the newer demo-lib.
        REQUIRE(omni.omni({"--no-index", "install", "demo-lib"}).ok());
        ready = true;
    }
    ProcessResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--no-index", "run"});
        return omni.omni(args);
    }
    stdfs::path script(const std::string& name, const std::string& text) const {
        test::write_text(omni.scratch() / name, text);
        return omni.scratch() / name;
    }
};

}  // namespace

TEST_CASE("omni run heals a version assertion and remembers it") {
    RunFixture f;
    if (!f.ready)
        return;
    const auto app = f.script("app.py",
                              "import demo_lib\nassert demo_lib.__version__ == '1.0', "
                              "demo_lib.__version__\nprint('ok', demo_lib.__version__)\n");
    auto r = f.run({app.string()});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "ok 1.0\n");
    CHECK_THAT(r.err, Catch::Contains("demo_lib==1.0 (version pin"));
    CHECK_THAT(r.err, Catch::Contains("healed in 1 round"));
    // The main env is untouched.
    const auto main = f.omni.run({(f.omni.root() / "bin" / "python").string(), "-c",
                                  "import demo_lib; print(demo_lib.__version__)"});
    CHECK(main.out == "2.0\n");
    // Second run: right first time.
    r = f.run({app.string()});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains("using what healed this script before"));
    CHECK(r.err.find("healing, round") == std::string::npos);
}

TEST_CASE("omni run asks before installing a package new to the machine") {
    RunFixture f;
    if (!f.ready)
        return;
    const auto app = f.script("extra.py", "import demo_extra\nprint(demo_extra.__version__)\n");
    auto r = f.run({app.string()});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("new to this machine"));
    CHECK_THAT(r.err, Catch::Contains("not healed"));
    r = f.run({"--yes", app.string()});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "0.5\n");
    REQUIRE(f.omni.omni({"config", "set", "heal.new-packages", "deny"}).ok());
    const auto other = f.script("extra2.py", "import demo_extra\nprint('again')\n");
    // Known now (in a bubble), so no consent is needed any more.
    r = f.run({other.string()});
    CHECK(r.exit_code == 0);
}

TEST_CASE("omni run keeps the exit code of a failure it cannot heal") {
    RunFixture f;
    if (!f.ready)
        return;
    const auto bad = f.script("bad.py", "import sys\nprint('before')\nsys.exit(7)\n");
    auto r = f.run({bad.string(), "arg1"});
    CHECK(r.exit_code == 7);
    CHECK(r.out == "before\n");
    const auto crash = f.script("crash.py", "1 / 0\n");
    r = f.run({crash.string()});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("ZeroDivisionError"));
    CHECK_THAT(r.err, Catch::Contains("not healed"));
    r = f.run(
        {"--no-heal",
         f.script("pin.py", "import demo_lib\nassert demo_lib.__version__ == '1.0'\n").string()});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("healing") == std::string::npos);
}

TEST_CASE("omni run passes arguments and runs -m and -c") {
    RunFixture f;
    if (!f.ready)
        return;
    const auto args = f.script("args.py", "import sys\nprint(sys.argv[1:])\n");
    auto r = f.run({args.string(), "-c", "--flag", "x"});
    CHECK(r.out == "['-c', '--flag', 'x']\n");
    r = f.run({"-c", "import sys; print(sys.argv[1:])", "a", "-m"});
    CHECK(r.out == "['a', '-m']\n");
    r = f.run({"-m", "demo_lib"});
    CHECK(r.exit_code == 0);
}

TEST_CASE("omni run reads PEP 723 metadata: dependencies and requires-python") {
    RunFixture f;
    if (!f.ready)
        return;
    if (!test::pyenv_python("3.12"))
        return;
    const auto app = f.script("inline.py", R"(# /// script
# requires-python = ">=3.12"
# dependencies = ["demo-lib==1.0"]
# ///
import sys, demo_lib
print(sys.version_info[:2] >= (3, 12), demo_lib.__version__)
)");
    const auto r = f.run({app.string()});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "True 1.0\n");
    CHECK_THAT(r.err, Catch::Contains("requires Python >=3.12"));
}

TEST_CASE("omni run heals two packages in two rounds") {
    RunFixture f;
    if (!f.ready)
        return;
    const auto app = f.script("two.py",
                              "import demo_extra\nimport demo_lib\nassert demo_lib.__version__ == "
                              "'1.0'\nprint('both')\n");
    const auto r = f.run({"--yes", app.string()});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "both\n");
    CHECK_THAT(r.err, Catch::Contains("healed in 2 rounds"));
}

TEST_CASE("omni run heals on Python 3.9 too") {
    RunFixture f;
    if (!f.ready || !test::pyenv_python("3.9"))
        return;
    REQUIRE(f.omni.omni({"--python", "3.9", "--no-index", "install", "demo-lib"}).ok());
    const auto app =
        f.script("app39.py",
                 "import sys, demo_lib\nassert demo_lib.__version__ == '1.0'\nprint('%d.%d' % "
                 "sys.version_info[:2], demo_lib.__version__, demo_lib.__file__)\n");
    const auto r = f.omni.omni({"--python", "3.9", "--no-index", "run", app.string()});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::StartsWith("3.9 1.0 " +
                                        (f.omni.root() / "bubbles" / "cpython-3.9").string()));
}

TEST_CASE("install --no-deps --reinstall --compile, info, uninstall, bubble prune") {
    RunFixture f;
    if (!f.ready)
        return;
    const auto site =
        f.omni.root() / "envs" / "cpython-3.11" / "lib" / "python3.11" / "site-packages";
    // --reinstall puts the files back; --compile leaves byte code.
    stdfs::remove(site / "demo_lib" / "__init__.py");
    REQUIRE(f.omni.omni({"--no-index", "install", "--reinstall", "--compile", "demo-lib"}).ok());
    CHECK(stdfs::exists(site / "demo_lib" / "__init__.py"));
    CHECK_FALSE(stdfs::is_empty(site / "demo_lib" / "__pycache__"));
    REQUIRE(f.omni.omni({"--no-index", "install", "--bubble", "demo-lib==1.0"}).ok());
    const auto info = f.omni.omni({"info", "Demo_Lib"});
    CHECK_THAT(info.out, Catch::Contains("demo-lib 2.0  main env"));
    CHECK_THAT(info.out, Catch::Contains("demo-lib 1.0  bubble demo-lib==1.0"));
    // uninstall removes exactly what RECORD lists, byte code included.
    REQUIRE(f.omni.omni({"uninstall", "demo-lib"}).ok());
    CHECK_FALSE(stdfs::exists(site / "demo_lib"));
    CHECK_FALSE(stdfs::exists(site / "demo_lib-2.0.dist-info"));
    CHECK(f.omni.omni({"uninstall", "demo-lib"}).exit_code == exit_status(ErrorCode::not_found));
    CHECK(f.omni.omni({"info", "nothing-here"}).exit_code == exit_status(ErrorCode::not_found));
    // --no-deps: a fixture whose dependency is absent still installs alone.
    REQUIRE(f.omni.omni({"--no-index", "install", "--no-deps", "demo-extra"}).ok());
    CHECK(stdfs::exists(site / "demo_extra"));
    // prune: a bubble of an interpreter that is gone goes; the others stay.
    stdfs::create_directories(f.omni.root() / "bubbles" / "cpython-2.5");
    stdfs::copy(f.omni.root() / "bubbles" / "cpython-3.11" / "demo-lib-1.0",
                f.omni.root() / "bubbles" / "cpython-2.5" / "demo-lib-1.0",
                stdfs::copy_options::recursive);
    auto text =
        fs::read_file(f.omni.root() / "bubbles" / "cpython-2.5" / "demo-lib-1.0" / "bubble.json");
    text.replace(text.find("cpython-3.11"), 12, "cpython-2.5");
    fs::atomic_write(f.omni.root() / "bubbles" / "cpython-2.5" / "demo-lib-1.0" / "bubble.json",
                     text);
    const auto pruned = f.omni.omni({"bubble", "prune"});
    CHECK_THAT(pruned.out, Catch::Contains("interpreter gone"));
    CHECK_FALSE(stdfs::exists(f.omni.root() / "bubbles" / "cpython-2.5" / "demo-lib-1.0"));
    CHECK(stdfs::exists(f.omni.root() / "bubbles" / "cpython-3.11" / "demo-lib-1.0"));
}
