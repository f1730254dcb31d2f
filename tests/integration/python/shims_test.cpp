// The shims in $OMNI_HOME/bin follow OMNI_PYTHON, then the nearest
// .python-version, then the global choice, for python, pip and console
// scripts alike; pip through a shim installs into the chosen main env and
// its new scripts get shims.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

std::string first_line(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

struct ShimFixture {
    test::OmniHome home;
    stdfs::path links = home.scratch() / "links";
    stdfs::path project = home.scratch() / "project";
    stdfs::path nested = project / "src" / "deep";
    bool ready = false;

    ShimFixture() {
        if (!test::pyenv_python("3.9") || !test::pyenv_python("3.11") ||
            !test::pyenv_python("3.10"))
            return;
        stdfs::create_directories(nested);
        for (const char* version : {"1.0", "2.0"}) {
            ProcessOptions wheel;
            wheel.argv = {"python3",
                          OMNI_FIXTURES_DIR "/make_wheel.py",
                          "--name",
                          "shim-tool",
                          "--version",
                          version,
                          "--console-script",
                          "shim-tool=shim_tool:main",
                          "--out",
                          links.string()};
            REQUIRE(run_process(wheel).ok());
        }
        ProcessOptions other;
        other.argv = {"python3",
                      OMNI_FIXTURES_DIR "/make_wheel.py",
                      "--name",
                      "pip-added",
                      "--version",
                      "1.0",
                      "--console-script",
                      "pip-added=pip_added:main",
                      "--out",
                      links.string()};
        REQUIRE(run_process(other).ok());
        REQUIRE(home.omni({"swap", "python", "3.9"}).ok());
        fs::atomic_write(project / ".python-version", "3.11\n");
        ready = true;
    }

    // A shim run in `cwd` with extra environment.
    ProcessResult shim(const std::string& name, const std::vector<std::string>& args,
                       const stdfs::path& cwd,
                       const std::map<std::string, std::optional<std::string>>& env = {}) const {
        ProcessOptions options;
        options.argv = {home.bin(name).string()};
        options.argv.insert(options.argv.end(), args.begin(), args.end());
        options.cwd = cwd;
        options.env = {{"OMNI_HOME", home.root().string()},
                       {"PYENV_ROOT", test::pyenv_root().string()},
                       {"OMNI_PYTHON", std::nullopt},
                       {"VIRTUAL_ENV", std::nullopt},
                       {"PIP_NO_INDEX", "1"},
                       {"PIP_DISABLE_PIP_VERSION_CHECK", "1"}};
        for (const auto& [k, v] : env)
            options.env[k] = v;
        options.timeout = std::chrono::seconds(120);
        return run_process(options);
    }

    std::string prefix_of(const std::string& python_shim, const stdfs::path& cwd,
                          const std::map<std::string, std::optional<std::string>>& env = {}) {
        const auto r = shim(python_shim, {"-c", "import sys; print(sys.prefix)"}, cwd, env);
        INFO(r.err);
        return first_line(r.out);
    }
    std::string env(const std::string& x_y) const {
        return (home.root() / "envs" / ("cpython-" + x_y)).string();
    }
};

}  // namespace

TEST_CASE("shims follow the nearest .python-version, OMNI_PYTHON first, the global otherwise") {
    ShimFixture f;
    if (!f.ready)
        return;
    // python, python3 and pip in a nested directory of a 3.11 project.
    CHECK(f.prefix_of("python", f.nested) == f.env("3.11"));
    CHECK(f.prefix_of("python3", f.nested) == f.env("3.11"));
    const auto pip = f.shim("pip", {"--version"}, f.nested);
    INFO(pip.err);
    REQUIRE(pip.ok());
    CHECK(pip.out.find(f.env("3.11") + "/lib/python3.11/site-packages/pip") != std::string::npos);
    // Outside the project: the global choice.
    CHECK(f.prefix_of("python", f.home.scratch()) == f.env("3.9"));
    CHECK(f.shim("pip3", {"--version"}, f.home.scratch()).out.find("(python 3.9)") !=
          std::string::npos);
    // OMNI_PYTHON wins over the file.
    CHECK(f.prefix_of("python", f.nested, {{"OMNI_PYTHON", "3.10"}}) == f.env("3.10"));

    // A console script installed by omni into each env: the shim runs the
    // chosen env's copy.
    REQUIRE(
        f.home
            .omni({"--no-index", "-f", f.links.string(), "install", "shim-tool==1.0"}, {}, f.nested)
            .ok());
    REQUIRE(f.home.omni({"--no-index", "-f", f.links.string(), "install", "shim-tool==2.0"}).ok());
    CHECK(first_line(f.shim("shim-tool", {}, f.nested).out) == "shim-tool 1.0");
    CHECK(first_line(f.shim("shim-tool", {}, f.home.scratch()).out) == "shim-tool 2.0");
    // A command the chosen interpreter lacks: says so and names who has it.
    const auto missing = f.shim("shim-tool", {}, f.nested, {{"OMNI_PYTHON", "3.10"}});
    CHECK(missing.exit_code == 127);
    CHECK(missing.err.find("shim-tool: command not found") != std::string::npos);
    CHECK(missing.err.find("OMNI_PYTHON") != std::string::npos);
    CHECK(missing.err.find("3.11.") != std::string::npos);
    CHECK(missing.err.find("3.9.") != std::string::npos);
    const auto minor = f.shim("python3.11", {"-V"}, f.home.scratch());
    CHECK(minor.exit_code == 127);
    CHECK(minor.err.find("python3.11: command not found") != std::string::npos);
    CHECK(f.shim("python3.11", {"-V"}, f.nested).ok());

    // omni which says what a shim would run.
    const auto which = f.home.omni({"which", "shim-tool"}, {}, f.nested);
    CHECK(first_line(which.out) == f.env("3.11") + "/bin/shim-tool");
    CHECK(first_line(f.home.omni({"which", "python"}).out) == f.env("3.9") + "/bin/python");
    CHECK_FALSE(f.home.omni({"which", "shim-tool"}, {{"OMNI_PYTHON", "3.10"}}).ok());
}

TEST_CASE("pip through the shim installs into the chosen main env and rehashes") {
    ShimFixture f;
    if (!f.ready)
        return;
    const auto r = f.shim(
        "pip", {"install", "--no-index", "--find-links", f.links.string(), "pip-added"}, f.nested);
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK(stdfs::exists(stdfs::path(f.env("3.11")) / "lib/python3.11/site-packages/pip_added"));
    CHECK_FALSE(stdfs::exists(stdfs::path(f.env("3.9")) / "lib/python3.9/site-packages/pip_added"));
    // Its console script has a shim now, which runs in the project only.
    REQUIRE(stdfs::is_symlink(f.home.bin("pip-added")));
    CHECK(first_line(f.shim("pip-added", {}, f.nested).out) == "pip-added 1.0");
    CHECK(f.shim("pip-added", {}, f.home.scratch()).exit_code == 127);
    const auto gone = f.shim("pip", {"uninstall", "-y", "pip-added"}, f.nested);
    INFO(gone.err);
    CHECK(gone.ok());
    CHECK_FALSE(stdfs::exists(stdfs::symlink_status(f.home.bin("pip-added"))));
}

TEST_CASE("omni shell sets the interpreter for one shell session") {
    ShimFixture f;
    if (!f.ready)
        return;
    const char* path = std::getenv("PATH");
    const std::string omni_dir = stdfs::path(OMNI_BINARY).parent_path().string();
    const std::string script =
        "eval \"$(omni shell-init bash)\"\n"
        "python -c 'import sys; print(sys.prefix)'\n"
        "omni shell 3.10 && python -c 'import sys; print(sys.prefix)'\n"
        "echo \"OMNI_PYTHON=$OMNI_PYTHON\"\n"
        "omni shell --unset && python -c 'import sys; print(sys.prefix)'\n"
        "omni shell ./evil || echo refused\n";
    ProcessOptions options;
    options.argv = {"bash", "--norc", "-c", script};
    options.cwd = f.nested;
    options.env = {{"OMNI_HOME", f.home.root().string()},
                   {"PYENV_ROOT", test::pyenv_root().string()},
                   {"OMNI_PYTHON", std::nullopt},
                   {"PATH", omni_dir + ":" + (path != nullptr ? path : "/usr/bin:/bin")}};
    options.timeout = std::chrono::seconds(60);
    const auto r = run_process(options);
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK(r.out == fmt::format("{}\n{}\nOMNI_PYTHON=3.10\n{}\nrefused\n", f.env("3.11"),
                               f.env("3.10"), f.env("3.11")));
    // Without the shell function it says what to do.
    const auto plain = f.home.omni({"shell", "3.10"});
    CHECK_FALSE(plain.ok());
    CHECK(plain.err.find("omni shell-init") != std::string::npos);
}
