#include <catch2/catch.hpp>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"

using namespace omni;

TEST_CASE("bash completion comes from the command definitions and completes in bash") {
    const test::OmniHome omni;
    const auto script = omni.omni({"completion", "bash"});
    REQUIRE(script.ok());
    test::write_text(omni.scratch() / "omni.bash", script.out);
    const auto complete = [&](const std::string& words, int cword) {
        return omni
            .run({"bash", "-c",
                  "source " + (omni.scratch() / "omni.bash").string() + "; COMP_WORDS=(" + words +
                      "); COMP_CWORD=" + std::to_string(cword) +
                      "; _omni; echo \"${COMPREPLY[@]}\""})
            .out;
    };
    CHECK(complete("omni python l", 2) == "list\n");
    CHECK(complete("omni ins", 1) == "install\n");
    CHECK(complete("omni install --dr", 2) == "--dry-run\n");
    CHECK(complete("omni --python 3.9 bubble r", 4) == "remove\n");
}

TEST_CASE("fish and zsh completion name every subcommand, an unknown shell is refused") {
    const test::OmniHome omni;
    const auto fish = omni.omni({"completion", "fish"});
    REQUIRE(fish.ok());
    for (const auto* cmd : {"install", "run", "matrix", "demo", "swap"})
        CHECK_THAT(fish.out, Catch::Contains(std::string("-a ") + cmd));
    CHECK(omni.omni({"completion", "zsh"}).ok());
    CHECK(omni.omni({"completion", "powershell"}).exit_code == exit_status(ErrorCode::usage));
}
