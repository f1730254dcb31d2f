#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "omni/home/config.hpp"
#include "omni/python/choice.hpp"
#include "omni/python/shims.hpp"
#include "omni/python/swap.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
using namespace omni::python;
namespace stdfs = std::filesystem;

TEST_CASE("rehash links a shim for every command of the main envs and only those") {
    test::TempDir dir;
    Home home(dir / "home");
    home.ensure_layout();
    const auto binary = dir / "omni";
    test::write_text(binary, "#!/bin/sh\necho omni \"$0\"\n");
    stdfs::permissions(binary, stdfs::perms::owner_all);
    for (const char* env : {"cpython-3.9", "cpython-3.11"}) {
        const auto bin = home.envs_dir() / env / "bin";
        test::write_text(home.envs_dir() / env / "pyvenv.cfg", "home = /x\n");
        for (const std::string& name :
             {std::string("python3.") + (env[10] == '9' ? "9" : "11"), std::string("activate")})
            test::write_text(bin / name, "#!/bin/sh\n");
        for (const auto& e : stdfs::directory_iterator(bin))
            if (e.path().filename() != "activate")
                stdfs::permissions(e.path(), stdfs::perms::owner_all);
    }
    test::write_text(home.envs_dir() / "cpython-3.11" / "bin" / "black", "#!/bin/sh\n");
    stdfs::permissions(home.envs_dir() / "cpython-3.11" / "bin" / "black", stdfs::perms::owner_all);
    // Someone's own file, and a shim of an earlier omni.
    test::write_text(home.bin_dir() / "pip", "#!/bin/sh\necho mine\n");
    test::write_text(home.bin_dir() / "python", "#!/bin/sh\n# omni shim: /old/env\nexec x\n");

    auto outcome = rehash(home, binary);
    CHECK(stdfs::read_symlink(home.bin_dir() / ".omni") == binary);
    for (const char* name : {"python", "python3", "pip3", "python3.9", "python3.11", "black"}) {
        INFO(name);
        CHECK(stdfs::read_symlink(home.bin_dir() / name) == ".omni");
    }
    CHECK_FALSE(stdfs::exists(home.bin_dir() / "activate"));
    CHECK(fs::read_file(home.bin_dir() / "pip") == "#!/bin/sh\necho mine\n");
    CHECK(outcome.kept_foreign == std::vector<std::string>{"pip"});
    // Run by a shim's name, the binary sees that name.
    ProcessOptions run;
    run.argv = {(home.bin_dir() / "black").string()};
    const auto out = run_process(run);
    CHECK(out.out == "omni " + (home.bin_dir() / "black").string() + "\n");

    // The env that had black loses it: its shim goes, the others stay.
    stdfs::remove(home.envs_dir() / "cpython-3.11" / "bin" / "black");
    outcome = rehash(home, binary);
    CHECK(outcome.removed == std::vector<std::string>{"black"});
    CHECK(outcome.added.empty());
    CHECK_FALSE(stdfs::exists(stdfs::symlink_status(home.bin_dir() / "black")));
    CHECK(stdfs::is_symlink(home.bin_dir() / "python3.9"));
    // No temp files left behind.
    for (const auto& e : stdfs::directory_iterator(home.bin_dir()))
        CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
    CHECK_FALSE(is_shim_name("../x"));
    CHECK_FALSE(is_shim_name("omni"));
    CHECK_FALSE(is_shim_name(".omni"));
    CHECK_FALSE(is_shim_name("a b"));
    CHECK(is_shim_name("pip3.11"));
    CHECK(is_shim_name("markdown-it"));
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

TEST_CASE("a version file gives its value's line and is read only so far") {
    test::TempDir dir;
    test::write_text(dir / ".python-version", "# pinned for the project\n\n  ./evilpython\n3.9\n");
    const auto entry = read_version_entry(dir / ".python-version");
    REQUIRE(entry);
    CHECK(entry->value == "./evilpython");
    CHECK(entry->line == 3);
    Home home(dir / "home");
    home.ensure_layout();
    ChoiceInputs inputs;
    inputs.cwd = dir.path();
    const auto choice = current_choice(home, inputs);
    REQUIRE(choice);
    CHECK(describe_origin(*choice) ==
          fmt::format("'{}' line 3", (dir / ".python-version").string()));

    // A value past the first 64 KiB is never seen.
    test::write_text(dir / "big" / ".python-version", std::string(70 * 1024, '\n') + "3.9\n");
    CHECK_FALSE(read_version_entry(dir / "big" / ".python-version").has_value());
}
