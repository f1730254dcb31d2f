#include <catch2/catch.hpp>

#include <thread>

#include "omni/python/registry.hpp"
#include "omni/util/fs.hpp"
#include "unit/python/fake_python.hpp"

using namespace omni;
using namespace omni::python;
namespace stdfs = std::filesystem;

namespace {

struct Fixture {
    test::TempDir dir;
    Home home{dir / "home"};
    DiscoveryRoots roots;
    Fixture() {
        home.ensure_layout();
        roots.pyenv_versions = dir / "pyenv" / "versions";
        roots.system_dirs = {dir / "usr" / "bin"};
        roots.skip_dirs = {home.bin_dir()};
    }
    stdfs::path pyenv(const std::string& version) {
        const auto mm = version.substr(0, version.rfind('.'));
        const auto file = roots.pyenv_versions / version / "bin" / ("python" + mm);
        test::fake_python(file, version);
        stdfs::create_symlink("python" + mm, file.parent_path() / "python3");
        return file;
    }
    stdfs::path system(const std::string& name, const std::string& version) {
        const auto file = dir / "usr" / "bin" / name;
        test::fake_python(file, version);
        return file;
    }
    Registry registry() { return Registry(home, roots); }
};

std::string find_path(Registry& r, const char* request) {
    return r.find(PythonRequest::parse(request).value()).interpreter.path.string();
}

}  // namespace

TEST_CASE("interpreter names are recognized without config scripts") {
    for (const char* yes :
         {"python", "python3", "python2", "python3.12", "python3.13t", "python2.7"})
        CHECK(is_interpreter_name(yes));
    for (const char* no :
         {"python3-config", "python3.11-config", "pythonw", "python3.x", "pip3", "python4.1"})
        CHECK_FALSE(is_interpreter_name(no));
}

TEST_CASE("a cold registry queries each interpreter once and a warm one trusts the cache") {
    Fixture f;
    const auto a = f.pyenv("3.9.18");
    const auto b = f.pyenv("3.11.7");
    const auto c = f.system("python3.11", "3.11.7");
    auto r = f.registry();
    r.refresh();
    CHECK(r.stats().queried == 3);
    CHECK(r.interpreters().size() == 3);
    // python3 -> python3.9 is the same file as python3.9: one entry, one query.
    CHECK(test::run_count(a) == 1);
    CHECK(test::run_count(c) == 1);

    auto again = f.registry();
    again.refresh();
    CHECK(again.stats().queried == 0);
    CHECK(again.stats().reused == 3);
    CHECK_FALSE(again.stats().written);
    CHECK(test::run_count(a) == 1);
    CHECK(test::run_count(b) == 1);
}

TEST_CASE("a changed interpreter is queried again and a vanished one is dropped") {
    Fixture f;
    const auto a = f.pyenv("3.9.18");
    const auto b = f.pyenv("3.10.13");
    f.registry().refresh();
    // Same name, new build: the size changes.
    test::fake_python(a, "3.9.19");
    stdfs::remove_all(f.roots.pyenv_versions / "3.10.13");
    auto r = f.registry();
    r.refresh();
    CHECK(r.stats().queried == 1);
    CHECK(r.stats().dropped == 1);
    REQUIRE(r.interpreters().size() == 1);
    CHECK(r.interpreters()[0].version.str() == "3.9.19");
    CHECK(test::run_count(a) == 2);
    (void)b;
}

TEST_CASE("broken interpreters are skipped and remembered as broken") {
    Fixture f;
    f.pyenv("3.12.1");
    const auto crash = f.system("python3.8", "3.8.0");
    test::write_script(crash, "kill -SEGV $$");
    const auto garbage = f.system("python3.7", "3.7.0");
    test::write_script(garbage, "echo 'Traceback: this is not json'");
    const auto bad_json = f.system("python3.6", "3.6.0");
    test::write_script(bad_json, "echo 'OMNI-QUERY:{\"version\": 3'");
    stdfs::create_symlink(f.dir / "nowhere", f.dir / "usr" / "bin" / "python3.5");

    auto r = f.registry();
    r.refresh();
    REQUIRE(r.interpreters().size() == 1);
    CHECK(r.interpreters()[0].version.str() == "3.12.1");
    CHECK(r.stats().broken == 3);
    auto again = f.registry();
    again.refresh();
    CHECK(again.stats().queried == 0);
    CHECK(test::run_count(crash) == 1);
    CHECK(test::run_count(garbage) == 1);
}

TEST_CASE("a damaged registry file is rebuilt") {
    Fixture f;
    const auto a = f.pyenv("3.9.18");
    f.registry().refresh();
    fs::atomic_write(f.home.registry_file(), "{\"schema_version\": 1, \"entries\": [{\"pa");
    auto r = f.registry();
    r.refresh();
    CHECK(r.stats().rebuilt);
    CHECK(r.stats().queried == 1);
    CHECK(r.interpreters().size() == 1);
    auto again = f.registry();
    again.refresh();
    CHECK_FALSE(again.stats().rebuilt);
    CHECK(again.stats().queried == 0);
    CHECK(test::run_count(a) == 2);
}

TEST_CASE("the newest patch wins and pyenv beats system on ties") {
    Fixture f;
    const auto p39 = f.pyenv("3.9.18");
    f.pyenv("3.9.7");
    const auto s311 = f.system("python3.11", "3.11.7");
    const auto p311 = f.pyenv("3.11.7");
    const auto p312 = f.pyenv("3.12.1");
    auto r = f.registry();
    r.refresh();
    CHECK(find_path(r, "3.9") == p39.string());
    CHECK(find_path(r, "3.11") == p311.string());
    CHECK(find_path(r, "3") == p312.string());
    CHECK(find_path(r, ">=3.10,<3.12") == p311.string());
    CHECK(find_path(r, s311.string().c_str()) == s311.string());
    const auto sel = r.find(PythonRequest::parse("3.11").value());
    CHECK(sel.explanation.find("pyenv is preferred over system") != std::string::npos);
    // Deterministic: the same answer from a fresh registry.
    auto again = f.registry();
    again.refresh();
    CHECK(find_path(again, "3.11") == p311.string());
}

TEST_CASE("an unknown version names the request and what is available") {
    Fixture f;
    f.pyenv("3.9.18");
    f.pyenv("3.10.13");
    auto r = f.registry();
    r.refresh();
    try {
        r.find(PythonRequest::parse("9.9").value());
        FAIL("expected not_found");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::not_found);
        const std::string msg = e.what();
        CHECK(msg.find("'9.9'") != std::string::npos);
        CHECK(msg.find("3.9.18 (pyenv)") != std::string::npos);
        CHECK(msg.find("3.10.13 (pyenv)") != std::string::npos);
    }
    try {
        r.find(PythonRequest::parse("3.13t").value());
        FAIL("expected not_found");
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("free-threaded") != std::string::npos);
    }
}

TEST_CASE("free-threaded builds are chosen only when asked for") {
    Fixture f;
    const auto gil = f.pyenv("3.13.0");
    const auto ft = f.roots.pyenv_versions / "3.13.0t" / "bin" / "python3.13t";
    test::fake_python(ft, "3.13.0", true);
    auto r = f.registry();
    r.refresh();
    CHECK(find_path(r, "3.13") == gil.string());
    CHECK(find_path(r, "3.13t") == ft.string());
}

TEST_CASE("adopt registers a path and forget hides it until adopted again") {
    Fixture f;
    f.pyenv("3.9.18");
    const auto other = f.dir / "opt" / "py" / "bin" / "python3.10";
    test::fake_python(other, "3.10.4");
    auto r = f.registry();
    r.refresh();
    CHECK(r.interpreters().size() == 1);
    const auto info = r.adopt(other);
    CHECK(info.source == Source::adopted);
    CHECK(find_path(r, "3.10") == other.string());

    auto again = f.registry();
    again.refresh();
    CHECK(again.interpreters().size() == 2);
    CHECK(again.forget("3.9").size() == 1);
    CHECK(again.interpreters().size() == 1);
    auto later = f.registry();
    later.refresh();
    CHECK(later.interpreters().size() == 1);
    CHECK_THROWS_AS(later.find(PythonRequest::parse("3.9").value()), Error);

    const auto broken = f.dir / "opt" / "bad" / "python";
    test::write_script(broken, "exit 3");
    CHECK_THROWS_AS(later.adopt(broken), Error);
    CHECK_THROWS_AS(later.adopt(f.dir / "missing"), Error);
}

TEST_CASE("concurrent cold refreshes query each interpreter once") {
    Fixture f;
    const auto a = f.pyenv("3.9.18");
    const auto b = f.pyenv("3.10.13");
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] { f.registry().refresh(); });
    for (auto& t : threads)
        t.join();
    CHECK(test::run_count(a) == 1);
    CHECK(test::run_count(b) == 1);
}

TEST_CASE("a path request runs only an interpreter the registry knows or its neighbours") {
    Fixture f;
    const auto known = f.pyenv("3.11.7");
    auto r = f.registry();
    r.refresh();
    // Known, by its own path and through the python3 link beside it.
    CHECK(find_path(r, known.string().c_str()) == known.string());
    CHECK(find_path(r, (known.parent_path() / "python3").string().c_str()) == known.string());

    // A script named like an interpreter anywhere else is refused unrun.
    const auto evil = f.dir / "clone" / "bin" / "python3";
    test::fake_python(evil, "3.12.1");
    test::write_text(f.dir / "clone" / "pyvenv.cfg", "home = /usr/bin\n");
    for (const auto& path : {evil, f.dir / "clone" / "bin" / ".." / "bin" / "python3"}) {
        try {
            r.find(PythonRequest::parse(path.string()).value());
            FAIL("a path outside the known interpreters was accepted");
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::invalid_input);
            CHECK(std::string(e.what()).find("not an interpreter omni knows") != std::string::npos);
        }
    }
    // A file beside a known interpreter but not named like one is refused too.
    const auto tool = known.parent_path() / "evil-tool";
    test::fake_python(tool, "3.11.7");
    CHECK_THROWS_AS(r.find(PythonRequest::parse(tool.string()).value()), Error);
    CHECK(test::run_count(evil) == 0);
    CHECK(test::run_count(tool) == 0);

    // An interpreter-named file new in a known directory is queried and adopted.
    const auto neighbour = known.parent_path() / "python3.11t";
    test::fake_python(neighbour, "3.11.7", true);
    CHECK(find_path(r, neighbour.string().c_str()) == neighbour.string());
    // Typed on the command line, an unknown path is adopted (and so run).
    CHECK(r.find(PythonRequest::parse(evil.string()).value(), UnknownPath::adopt)
              .interpreter.version.str() == "3.12.1");
    CHECK(test::run_count(evil) >= 1);
}
