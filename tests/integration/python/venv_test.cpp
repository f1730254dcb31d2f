// omni venv writes what python -m venv makes, without running it.
#include <catch2/catch.hpp>

#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    for (auto pos = text.find(from); pos != std::string::npos;
         pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
    return text;
}

}  // namespace

TEST_CASE("omni venv makes python -m venv's venv, --seed adds pip, an existing path is kept") {
    const auto python = test::pyenv_python("3.12");
    if (!python)
        return;
    test::OmniHome home;
    const auto made = home.omni({"--python", "3.12", "venv", "proj/.venv"});
    INFO(made.err);
    REQUIRE(made.ok());
    const auto venv = home.scratch() / "proj" / ".venv";
    const auto reference = home.scratch() / "reference";
    REQUIRE(home.run({python->string(), "-m", "venv", "--without-pip", reference.string()}).ok());
    CHECK(replaced(fs::read_file(venv / "pyvenv.cfg"), venv.string(), "ROOT") ==
          replaced(fs::read_file(reference / "pyvenv.cfg"), reference.string(), "ROOT"));
    for (const char* name : {"python", "python3", "python3.12"})
        CHECK(stdfs::read_symlink(venv / "bin" / name) ==
              stdfs::read_symlink(reference / "bin" / name));
    const auto prefix =
        home.run({(venv / "bin" / "python").string(), "-c", "import sys; print(sys.prefix)"});
    CHECK(prefix.out == venv.string() + "\n");
    CHECK_FALSE(home.run({(venv / "bin" / "python").string(), "-c", "import pip"}).ok());
    // Nothing half-built is left beside it.
    for (const auto& e : stdfs::directory_iterator(venv.parent_path()))
        CHECK(e.path() == venv);

    const auto again = home.omni({"--python", "3.12", "venv", "proj/.venv"});
    CHECK_FALSE(again.ok());
    CHECK(again.err.find("already exists") != std::string::npos);
    const auto seeded = home.omni({"--python", "3.12", "venv", "proj/.venv", "--clear", "--seed"});
    INFO(seeded.err);
    REQUIRE(seeded.ok());
    const auto pip = home.run({(venv / "bin" / "pip").string(), "--version"});
    CHECK(pip.ok());
    CHECK(pip.out.find(venv.string()) != std::string::npos);
    // --clear replaces only a venv.
    stdfs::create_directories(home.scratch() / "mine");
    fs::atomic_write(home.scratch() / "mine" / "notes.txt", "keep me\n");
    CHECK_FALSE(home.omni({"venv", "mine", "--clear"}).ok());
    CHECK(fs::read_file(home.scratch() / "mine" / "notes.txt") == "keep me\n");
    if (test::pyenv_python("2.7")) {
        const auto old = home.omni({"--python", "2.7", "venv", "old"});
        CHECK_FALSE(old.ok());
        CHECK(old.err.find("PEP 405") != std::string::npos);
    }
}
