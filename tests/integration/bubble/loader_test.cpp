// omni_loader in a real interpreter: three versions of one package, each in
// its own bubble, activated in turn (and nested) inside one process.
#include <catch2/catch.hpp>

#include "omni/bubble/store.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

void make_bubble(const Home& home, const std::string& version) {
    bubble::BubbleStore store(home);
    store.ensure(
        {"cpython-3.11", "demo-lib", version, "demo-lib==" + version, ""},
        [&](const stdfs::path& root) {
            test::write_text(root / "demo_lib" / "__init__.py",
                             "__version__ = '" + version + "'\n");
            return std::vector<bubble::Distribution>{{"demo-lib", version, {"demo_lib"}, 1, ""}};
        });
}

}  // namespace

TEST_CASE("omni_loader activates each version in turn and restores the main env") {
    const auto python = test::pyenv_python("3.11");
    if (!python)
        return;
    test::OmniHome omni;
    const auto swap = omni.omni({"swap", "python", "3.11"});
    REQUIRE(swap.ok());
    const Home home(omni.root());
    for (const auto* v : {"1.0.0", "2.0.0", "3.0.0"})
        make_bubble(home, v);
    // The main env has its own demo_lib 0.9.
    const auto site =
        omni.root() / "envs" / "cpython-3.11" / "lib" / "python3.11" / "site-packages";
    REQUIRE(stdfs::exists(site / "omni_loader.py"));
    test::write_text(site / "demo_lib" / "__init__.py", "__version__ = '0.9'\n");

    test::write_text(omni.scratch() / "app.py", R"(
import omni_loader, demo_lib
print("main", demo_lib.__version__)
for v in ("1.0.0", "2.0.0", "3.0.0"):
    with omni_loader.use("demo-lib==" + v) as active:
        import demo_lib
        print(v, demo_lib.__version__, demo_lib.__file__.startswith(active.paths[0]))
with omni_loader.use("demo-lib==1.0.0"):
    with omni_loader.use("demo_lib==3.0.0"):
        import demo_lib
        print("inner", demo_lib.__version__)
    import demo_lib
    print("outer", demo_lib.__version__)
import demo_lib
print("after", demo_lib.__version__)
)");
    const auto r =
        omni.run({(omni.root() / "bin" / "python").string(), (omni.scratch() / "app.py").string()});
    INFO(r.err);
    REQUIRE(r.ok());
    CHECK(
        r.out ==
        "main 0.9\n1.0.0 1.0.0 True\n2.0.0 2.0.0 True\n3.0.0 3.0.0 True\ninner 3.0.0\nouter 1.0.0\n"
        "after 0.9\n");
}

TEST_CASE("omni bubble list and remove") {
    const auto python = test::pyenv_python("3.11");
    if (!python)
        return;
    test::OmniHome omni;
    REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
    const Home home(omni.root());
    for (const auto* v : {"1.0.0", "2.0.0"})
        make_bubble(home, v);
    const auto list = omni.omni({"bubble", "list"});
    REQUIRE(list.ok());
    CHECK_THAT(list.out, Catch::Contains("demo-lib==1.0.0"));
    CHECK_THAT(list.out, Catch::Contains("demo-lib==2.0.0"));
    CHECK(omni.omni({"--python", "3.9", "bubble", "list"}).out.empty());
    const auto removed = omni.omni({"bubble", "remove", "Demo_Lib==2.0"});
    CHECK(removed.ok());
    CHECK_FALSE(stdfs::exists(home.bubbles_dir() / "cpython-3.11" / "demo-lib-2.0.0"));
    const auto missing = omni.omni({"bubble", "remove", "demo-lib==2.0.0"});
    CHECK(missing.exit_code == exit_status(ErrorCode::not_found));
    const auto bad = omni.omni({"bubble", "remove", "demo-lib"});
    CHECK(bad.exit_code == exit_status(ErrorCode::invalid_input));
    CHECK_THAT(bad.err, Catch::Contains("NAME==VERSION"));
}

TEST_CASE("omni_loader finds omni after the binary moved: the home's link, then PATH") {
    const auto python = test::pyenv_python("3.11");
    if (!python)
        return;
    test::OmniHome omni;
    // An omni installed at a/omni makes the home and its main env.
    const auto first = omni.scratch() / "a" / "omni";
    const auto moved = omni.scratch() / "b" / "omni";
    stdfs::create_directories(first.parent_path());
    stdfs::create_directories(moved.parent_path());
    stdfs::copy_file(OMNI_BINARY, first);
    stdfs::permissions(first, stdfs::perms::owner_all);
    REQUIRE(omni.run({first.string(), "swap", "python", "3.11"}).ok());
    const auto env_python = omni.root() / "envs" / "cpython-3.11" / "bin" / "python";
    const auto ask = [&](const std::string& path) {
        ProcessOptions options;
        options.argv = {env_python.string(), "-c",
                        "import omni_loader\n"
                        "try:\n"
                        "    print(omni_loader.omni_binary())\n"
                        "except RuntimeError as e:\n"
                        "    print('error:', e)\n"};
        options.cwd = omni.scratch();
        options.env = {{"OMNI_HOME", omni.root().string()},
                       {"OMNI_BINARY", std::nullopt},
                       {"PYTHONPATH", std::nullopt},
                       {"PATH", path}};
        options.timeout = std::chrono::seconds(60);
        return run_process(options);
    };
    auto r = ask("/usr/bin:/bin");
    INFO(r.out << r.err);
    CHECK(r.out == first.string() + "\n");  // where it was when the env was made
    // Moved (an upgrade, a reinstall elsewhere): the written path is gone.
    stdfs::rename(first, moved);
    r = ask(moved.parent_path().string() + ":/usr/bin:/bin");
    CHECK(r.out == moved.string() + "\n");  // found on PATH
    r = ask("/usr/bin:/bin");
    CHECK_THAT(r.out, Catch::StartsWith("error: ") && Catch::Contains("set OMNI_BINARY"));
    // The moved omni's next command points the home's link at itself: no
    // PATH needed from then on.
    REQUIRE(omni.run({moved.string(), "swap", "python", "3.11"}).ok());
    r = ask("/usr/bin:/bin");
    CHECK((r.out == moved.string() + "\n" ||
           r.out == (omni.root() / "bin" / ".omni").string() + "\n"));
    const auto works = ask("/usr/bin:/bin");
    CHECK_THAT(works.out, !Catch::StartsWith("error: "));
}
