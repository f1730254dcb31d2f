// `omni freeze` and `omni list --format` judged by pip itself: pip's own
// `freeze --path` and `list --path --format ...` over the same site-packages
// must print the same text.
#include <catch2/catch.hpp>

#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

TEST_CASE("freeze and list --format print what pip prints for the same env",
          "[integration][lock]") {
    const auto python = test::pyenv_python("3.11");
    if (!python)
        return;
    const auto pip_wheel = python->parent_path().parent_path() /
                           "lib/python3.11/ensurepip/_bundled/pip-23.2.1-py3-none-any.whl";
    if (!test::have(stdfs::exists(pip_wheel), pip_wheel.string()))
        return;
    test::OmniHome omni;
    const auto links = omni.scratch() / "links";
    const auto loose = omni.scratch() / "loose";
    ProcessOptions make;
    make.argv = {"python3",        OMNI_FIXTURES_DIR "/make_index.py",
                 "--root",         links.string(),
                 "--flat",         "--spec-json",
                 R"({"packages": [
        {"name": "Alpha_Pkg", "version": "1.0", "requires": ["beta>=1"]},
        {"name": "beta", "version": "2.0"}]})"};
    REQUIRE(run_process(make).ok());
    make.argv = {"python3",   OMNI_FIXTURES_DIR "/make_wheel.py",
                 "--name",    "gamma",
                 "--version", "3.0",
                 "--out",     loose.string()};
    REQUIRE(run_process(make).ok());
    REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
    REQUIRE(omni.omni({"--no-index", "--find-links", links.string(), "install", "Alpha_Pkg"}).ok());
    // A wheel file: pip writes it as "gamma @ file://...#sha256=..."; and pip itself,
    // which freeze leaves out unless --all.
    REQUIRE(
        omni.omni({"--no-index", "install", (loose / "gamma-3.0-py3-none-any.whl").string()}).ok());
    REQUIRE(omni.omni({"--no-index", "install", pip_wheel.string()}).ok());

    stdfs::path site;
    for (const auto& e : stdfs::directory_iterator(omni.root() / "envs"))
        site = e.path() / "lib" / "python3.11" / "site-packages";
    const auto pip = [&](std::vector<std::string> args) {
        std::vector<std::string> argv{python->string(), "-m", "pip"};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.insert(argv.end(), {"--path", site.string(), "--disable-pip-version-check"});
        const auto r = omni.run(argv);
        INFO(r.err);
        REQUIRE(r.ok());
        return r.out;
    };
    const auto ours = [&](std::vector<std::string> args) {
        const auto r = omni.omni(args);
        INFO(r.err);
        REQUIRE(r.ok());
        return r.out;
    };

    const auto frozen = ours({"freeze"});
    CHECK(frozen == pip({"freeze"}));
    CHECK_THAT(frozen, Catch::Contains("Alpha_Pkg==1.0\nbeta==2.0\ngamma @ file://"));
    CHECK_THAT(frozen, !Catch::Contains("pip"));
    CHECK(ours({"freeze", "--all"}) == pip({"freeze", "--all"}));
    for (const std::string format : {"columns", "json", "freeze"}) {
        INFO(format);
        CHECK(ours({"list", "--format", format}) == pip({"list", "--format", format}));
    }
    const auto bad = omni.omni({"list", "--format", "yaml"});
    CHECK_FALSE(bad.ok());
    CHECK_THAT(bad.err, Catch::Contains("--format"));
}

TEST_CASE("freeze --bubbles appends each bubble as a commented block", "[integration][lock]") {
    if (!test::pyenv_python("3.11"))
        return;
    test::OmniHome omni;
    const auto links = omni.scratch() / "links";
    ProcessOptions make;
    make.argv = {"python3",        OMNI_FIXTURES_DIR "/make_index.py",
                 "--root",         links.string(),
                 "--flat",         "--spec-json",
                 R"({"packages": [
        {"name": "app", "version": "1.0", "requires": ["dep==1.0"]},
        {"name": "app", "version": "2.0", "requires": ["dep==2.0"]},
        {"name": "dep", "version": "1.0"}, {"name": "dep", "version": "2.0"}]})"};
    REQUIRE(run_process(make).ok());
    REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
    REQUIRE(omni.omni({"--no-index", "--find-links", links.string(), "install", "app==2.0"}).ok());
    REQUIRE(omni.omni({"--no-index", "--find-links", links.string(), "install", "app==1.0"}).ok());
    const auto r = omni.omni({"freeze", "--bubbles"});
    INFO(r.err);
    REQUIRE(r.ok());
    CHECK(r.out ==
          "app==2.0\ndep==2.0\n"
          "# bubbles of cpython-3.11 (side by side; not for pip)\n"
          "# bubble app==1.0:\n#   app==1.0\n#   dep==1.0\n");
}
