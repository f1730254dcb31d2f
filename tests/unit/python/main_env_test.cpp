#include <catch2/catch.hpp>

#include <thread>

#include "omni/python/main_env.hpp"
#include "omni/util/fs.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
using namespace omni::python;
namespace stdfs = std::filesystem;

namespace {

InterpreterInfo fake(const stdfs::path& root, const char* version) {
    InterpreterInfo info;
    info.version = PythonVersion::parse(version).value();
    info.implementation = "cpython";
    info.path = root / "bin" / ("python" + info.version.major_minor());
    info.executable = info.path;
    info.markers["sys_platform"] = "linux";
    test::write_text(info.path, "#!/bin/sh\n");
    return info;
}

}  // namespace

TEST_CASE("a main env is a venv written by omni") {
    test::TempDir dir;
    Home home(dir / "home");
    home.ensure_layout();
    const auto info = fake(dir / "base", "3.9.18");
    const auto env = ensure_main_env(home, info);
    CHECK(env == home.envs_dir() / "cpython-3.9");
    const auto cfg = fs::read_file(env / "pyvenv.cfg");
    CHECK(cfg.find("home = " + (dir / "base" / "bin").string() + "\n") != std::string::npos);
    CHECK(cfg.find("include-system-site-packages = false\n") != std::string::npos);
    CHECK(cfg.find("version = 3.9.18\n") != std::string::npos);
    // venv's links: python3.X to the base, python and python3 to python3.X.
    CHECK(stdfs::read_symlink(env / "bin" / "python3.9") == info.path);
    CHECK(stdfs::read_symlink(env / "bin" / "python3") == "python3.9");
    CHECK(stdfs::read_symlink(env / "bin" / "python") == "python3.9");
    for (const char* script : {"activate", "activate.fish", "activate.csh", "Activate.ps1"})
        CHECK(fs::read_file(env / "bin" / script).find(env.string()) != std::string::npos);
    CHECK(stdfs::is_directory(env / "lib" / "python3.9" / "site-packages"));
    CHECK(stdfs::read_symlink(env / "lib64") == "lib");
    // Nothing left in staging.
    CHECK(stdfs::is_empty(home.staging_dir()));
    // A second call finds it.
    CHECK(ensure_main_env(home, info) == env);
}

TEST_CASE("python 2 main envs are refused with a clear message") {
    test::TempDir dir;
    Home home(dir / "home");
    home.ensure_layout();
    const auto info = fake(dir / "base", "2.7.18");
    try {
        ensure_main_env(home, info);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::invalid_input);
        CHECK(std::string(e.what()).find("2.7.18") != std::string::npos);
    }
    CHECK(stdfs::is_empty(home.envs_dir()));
}

TEST_CASE("two interpreters of one minor version get two envs") {
    test::TempDir dir;
    Home home(dir / "home");
    home.ensure_layout();
    const auto a = ensure_main_env(home, fake(dir / "a", "3.11.7"));
    const auto b = ensure_main_env(home, fake(dir / "b", "3.11.2"));
    CHECK(a == home.envs_dir() / "cpython-3.11");
    CHECK(b != a);
    CHECK(b.filename().string().starts_with("cpython-3.11-"));
    CHECK(main_env_path(home, fake(dir / "a", "3.11.7")) == a);
}

TEST_CASE("concurrent creation of one env is single-flight") {
    test::TempDir dir;
    Home home(dir / "home");
    home.ensure_layout();
    const auto info = fake(dir / "base", "3.10.13");
    std::vector<std::thread> threads;
    std::vector<stdfs::path> results(6);
    for (std::size_t i = 0; i < results.size(); ++i)
        threads.emplace_back([&, i] { results[i] = ensure_main_env(home, info); });
    for (auto& t : threads)
        t.join();
    for (const auto& r : results)
        CHECK(r == home.envs_dir() / "cpython-3.10");
    std::size_t envs = 0;
    for ([[maybe_unused]] const auto& e : stdfs::directory_iterator(home.envs_dir()))
        ++envs;
    CHECK(envs == 1);
}

TEST_CASE("the target env is --env, then VIRTUAL_ENV, then the main env") {
    test::TempDir dir;
    Home home(dir / "home");
    home.ensure_layout();
    const auto info = fake(dir / "base", "3.12.1");
    const auto venv = dir / "venv";
    test::write_text(venv / "pyvenv.cfg", "home = /x\n");
    test::write_text(venv / "bin" / "python", "");
    const auto other = dir / "other";
    test::write_text(other / "pyvenv.cfg", "home = /x\n");
    test::write_text(other / "bin" / "python", "");

    auto t = select_target_env(home, info, {other, venv});
    CHECK(t.root == other);
    CHECK(t.origin == TargetEnv::Origin::option);
    t = select_target_env(home, info, {std::nullopt, venv});
    CHECK(t.origin == TargetEnv::Origin::virtual_env);
    CHECK(t.python == venv / "bin" / "python");
    t = select_target_env(home, info, {});
    CHECK(t.origin == TargetEnv::Origin::main);
    CHECK(t.root == home.envs_dir() / "cpython-3.12");
    CHECK_THROWS_AS(select_target_env(home, info, {dir / "nope", std::nullopt}), Error);
}
