#include <catch2/catch.hpp>

#include "omni/home/config.hpp"
#include "omni/python/choice.hpp"
#include "omni/python/swap.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
using namespace omni::python;
namespace stdfs = std::filesystem;

namespace {
InterpreterInfo version(const char* v) {
    InterpreterInfo info;
    info.version = PythonVersion::parse(v).value();
    info.implementation = "cpython";
    return info;
}
}  // namespace

TEST_CASE("shims run the env's python and stale minor shims go away") {
    test::TempDir dir;
    Home home(dir / "home");
    home.ensure_layout();
    // A stand-in env whose python prints its own path.
    for (const char* env : {"a", "b"}) {
        const auto py = dir / env / "bin" / "python";
        test::write_text(py, "#!/bin/sh\necho \"$0 $*\"\n");
        stdfs::permissions(py, stdfs::perms::owner_all);
    }
    auto names = point_shims(home, dir / "a", version("3.9.18"));
    CHECK(names == std::vector<std::string>{"python", "python3", "python3.9"});
    ProcessOptions run;
    run.argv = {(home.bin_dir() / "python3.9").string(), "-V", "x y"};
    const auto out = run_process(run);
    CHECK(out.ok());
    CHECK(out.out == (dir / "a" / "bin" / "python").string() + " -V x y\n");
    CHECK(shim_target(home) == dir / "a");

    // Someone's own file in bin/ is left alone.
    test::write_text(home.bin_dir() / "python3.7", "#!/bin/sh\necho mine\n");
    point_shims(home, dir / "b", version("3.11.7"));
    CHECK(shim_target(home) == dir / "b");
    CHECK(shim_target(home, "python3.11") == dir / "b");
    CHECK_FALSE(stdfs::exists(home.bin_dir() / "python3.9"));
    CHECK(stdfs::exists(home.bin_dir() / "python3.7"));
    // No temp files left behind.
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : stdfs::directory_iterator(home.bin_dir()))
        ++entries;
    CHECK(entries == 4);
}

TEST_CASE("the choice follows pyenv's order") {
    test::TempDir dir;
    Home home(dir / "home");
    home.ensure_layout();
    const auto project = dir / "project" / "sub";
    stdfs::create_directories(project);
    ChoiceInputs inputs;
    inputs.cwd = project;
    CHECK_FALSE(current_choice(home, inputs).has_value());

    Config(home).set(active_key, "/opt/python3.9");
    auto c = current_choice(home, inputs);
    REQUIRE(c);
    CHECK(c->origin == PythonChoice::Origin::global);
    CHECK(c->request == "/opt/python3.9");

    test::write_text(dir / "project" / ".python-version", "# pinned\n\n 3.10.13 3.9\n");
    c = current_choice(home, inputs);
    REQUIRE(c);
    CHECK(c->origin == PythonChoice::Origin::version_file);
    CHECK(c->request == "3.10.13");
    CHECK(c->file == dir / "project" / ".python-version");

    inputs.environment = "3.11";
    CHECK(current_choice(home, inputs)->request == "3.11");
    inputs.option = "3.12";
    CHECK(current_choice(home, inputs)->origin == PythonChoice::Origin::option);
}

TEST_CASE("version files are written in pyenv's format") {
    test::TempDir dir;
    write_version_file(dir.path(), "3.9.18");
    CHECK(fs::read_file(dir / ".python-version") == "3.9.18\n");
    CHECK(read_version_file(dir / ".python-version") == "3.9.18");
    test::write_text(dir / "empty" / ".python-version", "# nothing\n");
    CHECK_FALSE(read_version_file(dir / "empty" / ".python-version").has_value());
}

TEST_CASE("the shell line puts bin first") {
    Home home("/h o/.omni");
    CHECK(shell_path_line(home, "bash") == "export PATH='/h o/.omni/bin:'\"$PATH\"");
    CHECK(shell_path_line(home, "fish") == "set -gx PATH '/h o/.omni/bin' $PATH");
}
