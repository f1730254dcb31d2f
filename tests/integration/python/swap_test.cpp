#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

}  // namespace

TEST_CASE("swap makes the shims run each version in its own main env") {
    test::OmniHome home;
    for (const std::string version : {"3.9", "3.10", "3.11"}) {
        INFO(version);
        const auto base = test::pyenv_python(version);
        if (!base)
            continue;
        const auto swap = home.omni({"swap", "python", version});
        INFO(swap.err);
        REQUIRE(swap.ok());
        const auto env = home.root() / "envs" / ("cpython-" + version);
        for (const std::string& shim :
             std::vector<std::string>{"python", "python3", "python" + version}) {
            const auto r =
                home.run({home.bin(shim).string(), "-c",
                          "import sys; print(sys.version.split()[0]); print(sys.prefix)"});
            INFO(r.err);
            REQUIRE(r.ok());
            CHECK(r.out.starts_with(version + "."));
            CHECK(trimmed(r.out.substr(r.out.find('\n') + 1)) == env.string());
        }
        // The main env has its own pip (from the interpreter's ensurepip
        // wheel), not the base interpreter's.
        const auto pip = home.run({home.bin().string(), "-c", "import pip; print(pip.__file__)"});
        INFO(pip.err);
        CHECK(pip.ok());
        CHECK(pip.out.starts_with(env.string() + "/lib/python" + version + "/site-packages/pip/"));
        const auto path =
            home.run({home.bin().string(), "-c", "import sys; print('\\n'.join(sys.path))"});
        REQUIRE(path.ok());
        CHECK(path.out.find(base->parent_path().parent_path().string() + "/lib/python" + version +
                            "/site-packages") == std::string::npos);
        CHECK(path.out.find(env.string() + "/lib/python" + version + "/site-packages") !=
              std::string::npos);
    }
    // Every env's python3.Y has a shim; only the chosen one's runs.
    if (test::pyenv_python("3.9") && test::pyenv_python("3.11")) {
        REQUIRE(stdfs::is_symlink(home.bin("python3.9")));
        const auto other = home.run({home.bin("python3.9").string(), "-V"});
        CHECK(other.exit_code == 127);
        CHECK(other.err.find("python3.9: command not found") != std::string::npos);
        CHECK(home.run({home.bin("python3.11").string(), "-V"}).ok());
    }
}

TEST_CASE("swap with no request shows the choice and the precedence follows pyenv") {
    if (!test::pyenv_python("3.9") || !test::pyenv_python("3.10") || !test::pyenv_python("3.11") ||
        !test::pyenv_python("3.12"))
        return;
    test::OmniHome home;
    REQUIRE(home.omni({"swap", "python", "3.9"}).ok());
    auto current = home.omni({"swap", "python"});
    REQUIRE(current.ok());
    CHECK(current.out.find("3.9.") != std::string::npos);
    CHECK(current.out.find("global") != std::string::npos);

    const auto project = home.scratch() / "project";
    const auto sub = project / "src";
    stdfs::create_directories(sub);
    const auto local = home.omni({"swap", "python", "3.10", "--local"}, {}, project);
    INFO(local.err);
    REQUIRE(local.ok());
    CHECK(fs::read_file(project / ".python-version").starts_with("3.10."));

    current = home.omni({"swap", "python"}, {}, sub);
    CHECK(current.out.find("3.10.") != std::string::npos);
    CHECK(current.out.find(".python-version") != std::string::npos);
    current = home.omni({"swap", "python"}, {{"OMNI_PYTHON", "3.11"}}, sub);
    CHECK(current.out.find("3.11.") != std::string::npos);
    current = home.omni({"--python", "3.12", "swap", "python"}, {{"OMNI_PYTHON", "3.11"}}, sub);
    CHECK(current.out.find("3.12.") != std::string::npos);
    // None of that changed the global choice or the shims.
    const auto r = home.run({home.bin().string(), "-V"});
    CHECK((r.out + r.err).find("3.9.") != std::string::npos);
    const auto config = nlohmann::json::parse(fs::read_file(home.root() / "config.json"));
    CHECK(config["values"]["python.active"].get<std::string>().find("3.9") != std::string::npos);
}

TEST_CASE("bad swaps fail with one message and change nothing") {
    if (!test::pyenv_python("3.10"))
        return;
    test::OmniHome home;
    REQUIRE(home.omni({"swap", "python", "3.10"}).ok());
    const auto config = fs::read_file(home.root() / "config.json");

    const auto missing = home.omni({"swap", "python", "9.9"});
    CHECK(missing.exit_code != 0);
    CHECK(missing.err.find("'9.9'") != std::string::npos);
    CHECK(missing.err.find("available: ") != std::string::npos);
    CHECK(missing.err.find("3.10.") != std::string::npos);

    const auto ft = home.omni({"swap", "python", "3.13t"});
    CHECK(ft.exit_code != 0);
    CHECK(ft.err.find("free-threaded") != std::string::npos);

    const auto garbage = home.omni({"swap", "python", "3.x"});
    CHECK(garbage.exit_code != 0);
    CHECK(garbage.err.find("3.x") != std::string::npos);

    if (test::pyenv_python("2.7")) {
        const auto py2 = home.omni({"swap", "python", "2.7"});
        CHECK(py2.exit_code != 0);
        CHECK(py2.err.find("2.7.18") != std::string::npos);
        CHECK(py2.err.find("pyvenv.cfg") != std::string::npos);
    }
    CHECK(fs::read_file(home.root() / "config.json") == config);
}

TEST_CASE("a warm swap queries no interpreter and shell-init prints the PATH line") {
    if (!test::pyenv_python("3.9") || !test::pyenv_python("3.10"))
        return;
    test::OmniHome home;
    REQUIRE(home.omni({"swap", "python", "3.9"}).ok());
    const auto log = home.scratch() / "swap.log";
    const auto swap = home.omni({"--log-file", log.string(), "swap", "python", "3.10"});
    REQUIRE(swap.ok());
    CHECK(fs::read_file(log).find("queried") == std::string::npos);
    CHECK(swap.out.find("export PATH=") != std::string::npos);

    const auto init = home.omni({"shell-init", "fish"});
    REQUIRE(init.ok());
    CHECK(init.out.starts_with("set -gx PATH '" + (home.root() / "bin").string() + "' $PATH\n"));
    CHECK(init.out.find("function omni") != std::string::npos);
    const auto bash = home.omni({"shell-init", "bash"});
    CHECK(bash.out.find((home.root() / "bin").string()) != std::string::npos);
}
