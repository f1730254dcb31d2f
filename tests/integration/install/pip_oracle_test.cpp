// Real pip wheels from the interpreters on this machine, installed into
// bubbles, judged by pip itself: `pip install --target` of the same wheel
// must give the same tree.
#include <catch2/catch.hpp>
#include <set>

#include "omni/install/installer.hpp"
#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

// Files below `root`, relative, without byte code and the files each
// installer writes for itself.
std::set<std::string> tree(const stdfs::path& root) {
    std::set<std::string> out;
    for (const auto& e : stdfs::recursive_directory_iterator(root)) {
        if (!e.is_regular_file())
            continue;
        const auto rel = e.path().lexically_relative(root).string();
        if (rel.find("__pycache__") != std::string::npos)
            continue;
        if (rel.ends_with("/RECORD") || rel.ends_with("/INSTALLER") ||
            rel.ends_with("/REQUESTED") || rel.ends_with("/direct_url.json"))
            continue;
        out.insert(rel);
    }
    return out;
}

void check_wheel(const std::string& python_version, const stdfs::path& wheel,
                 const std::string& pip_version) {
    const auto python = test::pyenv_python(python_version);
    if (!python)
        return;
    if (!stdfs::exists(wheel)) {
        WARN("SKIPPED: " << wheel.string() << " is not on this machine");
        return;
    }
    test::OmniHome omni;
    const Home home(omni.root());
    home.ensure_layout();
    const auto bubble = omni.scratch() / "bubble";
    const auto unpacked = install::unpack_wheel(home, wheel);
    install::install_wheel(unpacked,
                           install::InstallTarget::bubble(bubble, *python, python_version));

    // The bubble's pip is the one that runs, from the bubble.
    const auto version = omni.run(
        {"env", "PYTHONPATH=" + bubble.string(), python->string(), "-m", "pip", "--version"});
    INFO(version.err);
    REQUIRE(version.ok());
    CHECK_THAT(version.out, Catch::StartsWith("pip " + pip_version + " from " + bubble.string()));
    const auto script = omni.run(
        {"env", "PYTHONPATH=" + bubble.string(), (bubble / "bin" / "pip").string(), "--version"});
    CHECK_THAT(script.out, Catch::StartsWith("pip " + pip_version));

    // pip as the oracle.
    const auto target = omni.scratch() / "pip-target";
    const auto r = omni.run({python->string(), "-m", "pip", "install", "--no-deps", "--no-index",
                             "--disable-pip-version-check", "--no-compile", "--target",
                             target.string(), wheel.string()});
    INFO(r.err);
    REQUIRE(r.ok());
    const auto ours = tree(bubble);
    const auto theirs = tree(target);
    CHECK(ours == theirs);
    for (const auto& file : theirs) {
        if (file.starts_with("bin/"))
            continue;  // launchers name their interpreter
        INFO(file);
        CHECK(fs::read_file(bubble / file) == fs::read_file(target / file));
    }
}

}  // namespace

TEST_CASE("install: pip 23.2.1 for Python 3.11 matches pip install --target") {
    check_wheel("3.11",
                test::pyenv_root() /
                    "versions/3.11.7/lib/python3.11/ensurepip/_bundled/pip-23.2.1-py3-none-any.whl",
                "23.2.1");
}

TEST_CASE("install: pip 18.1 for Python 3.6 matches pip install --target") {
    check_wheel(
        "3.6",
        test::pyenv_root() /
            "versions/3.6.15/lib/python3.6/ensurepip/_bundled/pip-18.1-py2.py3-none-any.whl",
        "18.1");
}

TEST_CASE("install: Debian's pip 23.0.1 wheel for Python 3.11 matches pip install --target") {
    check_wheel("3.11", "/usr/share/python-wheels/pip-23.0.1-py3-none-any.whl", "23.0.1");
}
