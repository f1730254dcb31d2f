// A .python-version, OMNI_PYTHON or swap's argument naming a path is data:
// the file is run only when omni already knows it as an interpreter. Each
// attack script would create a marker file if it were ever executed.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fmt/format.h>

#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

void write_attack(const stdfs::path& file, const stdfs::path& marker) {
    stdfs::create_directories(file.parent_path());
    fs::atomic_write(file, fmt::format("#!/bin/sh\necho ran >> '{}'\nexit 0\n", marker.string()),
                     0755);
}

bool refused(const ProcessResult& r, const std::string& names) {
    INFO(r.out << r.err);
    return !r.ok() && r.err.find("not an interpreter omni knows") != std::string::npos &&
           r.err.find(names) != std::string::npos;
}

}  // namespace

TEST_CASE("paths in version files, OMNI_PYTHON and swap are never run unless known") {
    const auto python = test::pyenv_python("3.11");
    if (!python)
        return;
    test::OmniHome home;
    const auto marker = home.scratch() / "MARKER";
    const auto project = home.scratch() / "clone";
    const auto nested = project / "src" / "pkg";
    stdfs::create_directories(nested);
    write_attack(project / "evilpython", marker);
    write_attack(project.parent_path().parent_path() / "evilpython", marker);
    // Named like an interpreter, in a venv-looking tree, by absolute path.
    write_attack(project / "venv" / "bin" / "python3", marker);
    fs::atomic_write(project / "venv" / "pyvenv.cfg", "home = /usr/bin\n");
    REQUIRE(home.omni({"swap", "python", "3.11"}).ok());
    const auto config_before = fs::read_file(home.root() / "config.json");

    const std::vector<std::string> attacks = {"./evilpython", "/bin/sh",
                                              (project / "venv" / "bin" / "python3").string(),
                                              "../../evilpython"};
    for (const auto& value : attacks) {
        INFO(value);
        fs::atomic_write(project / ".python-version", "# the project's python\n" + value + "\n");
        const auto file = (project / ".python-version").string();
        // Both from the project and from a nested directory, for the
        // commands that query the chosen interpreter.
        for (const auto& cwd : {project, nested}) {
            for (const std::vector<std::string>& args :
                 {std::vector<std::string>{"list"},
                  {"swap", "python"},
                  {"install", "--no-index", "nothing-here"}}) {
                const auto r = home.omni(args, {}, cwd);
                INFO(args.front());
                CHECK(refused(r, fmt::format("'{}' line 2", file)));
            }
        }
        // The same value in OMNI_PYTHON, and as swap's argument.
        CHECK(refused(home.omni({"list"}, {{"OMNI_PYTHON", value}}, project), "OMNI_PYTHON"));
        stdfs::remove(project / ".python-version");
        const auto swap = home.omni({"swap", "python", value}, {}, project);
        CHECK(refused(swap, ""));
        const auto local = home.omni({"swap", "python", value, "--local"}, {}, project);
        CHECK(refused(local, ""));
        CHECK_FALSE(stdfs::exists(project / ".python-version"));
    }
    CHECK_FALSE(stdfs::exists(marker));
    CHECK(fs::read_file(home.root() / "config.json") == config_before);

    // A known interpreter's own path, or a link beside it, is fine.
    fs::atomic_write(project / ".python-version", python->string() + "\n");
    const auto ok = home.omni({"swap", "python"}, {}, nested);
    INFO(ok.err);
    CHECK(ok.ok());
    CHECK(ok.out.find("3.11.") != std::string::npos);
    fs::atomic_write(project / ".python-version", (python->parent_path() / "python3").string());
    CHECK(home.omni({"list"}, {}, nested).ok());
}

TEST_CASE("discovery runs nothing from the working directory") {
    if (!test::pyenv_python("3.11"))
        return;
    test::OmniHome home;
    const auto marker = home.scratch() / "MARKER";
    // A json.py beside the query (sys.path[0] is the cwd with -c), and a
    // python3 found through a relative PATH entry.
    fs::atomic_write(home.scratch() / "json.py",
                     fmt::format("open('{}', 'a').write('ran')\n", marker.string()));
    write_attack(home.scratch() / "python3", marker);
    const char* path = std::getenv("PATH");
    const auto r = home.omni({"python", "list"},
                             {{"PATH", std::string(".:bin:") + (path != nullptr ? path : "")}});
    INFO(r.err);
    CHECK(r.ok());
    CHECK(r.out.find("3.11.") != std::string::npos);
    CHECK_FALSE(stdfs::exists(marker));
}
