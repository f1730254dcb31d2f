// Import name -> distribution, verified: `omni run` heals a failed import
// only with a distribution something proves provides the module. A decoy on
// the index that takes the module's name but ships other code is reported,
// never installed.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "omni/run/import_resolution.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

nlohmann::json wheel(const std::string& name, const std::string& module) {
    return {{"name", name},
            {"version", "1.0"},
            {"files", {{module + "/__init__.py", "__version__ = '1.0'\nNAME = '" + name + "'\n"}}},
            {"top_level", {module}}};
}

}  // namespace

TEST_CASE("omni run: a failed import is healed only by a distribution proved to provide it") {
    if (!test::pyenv_python("3.11"))
        return;
    test::OmniHome omni;
    const auto links = omni.scratch() / "links";
    const nlohmann::json spec = {
        {"packages",
         {// The decoy: named like the module, ships something else.
          wheel("fancymod", "evil"),
          // The module's real provider goes by another name.
          wheel("python-realmod", "realmod"),
          // markdown_it is markdown-it-py's; "markdown-it" is a look-alike.
          wheel("markdown-it", "markdown_it"), wheel("markdown-it-py", "markdown_it")}}};
    ProcessOptions make;
    make.argv = {"python3",  OMNI_FIXTURES_DIR "/make_index.py",
                 "--root",   links.string(),
                 "--flat",   "--spec-json",
                 spec.dump()};
    REQUIRE(run_process(make).ok());
    REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
    const auto run = [&](const std::string& name, const std::string& code) {
        test::write_text(omni.scratch() / name, code);
        return omni.omni({"--no-index", "--find-links", links.string(), "run", "--yes",
                          (omni.scratch() / name).string()});
    };

    const auto decoy = run("decoy.py", "import fancymod\n");
    INFO(decoy.err);
    CHECK(decoy.exit_code != 0);
    CHECK_THAT(decoy.err, Catch::Contains("no distribution is known to provide the module "
                                          "'fancymod'"));
    CHECK_THAT(decoy.err, Catch::Contains("fancymod-1.0-py3-none-any.whl on the index does not "
                                          "contain fancymod"));
    CHECK_THAT(decoy.err, Catch::Contains("not installing a guess"));
    CHECK_FALSE(stdfs::exists(omni.root() / "bubbles" / "cpython-3.11" / "fancymod-1.0"));

    const auto real = run("real.py", "import realmod\nprint(realmod.NAME)\n");
    INFO(real.err);
    CHECK(real.exit_code == 0);
    CHECK(real.out == "python-realmod\n");

    const auto markdown = run("md.py", "import markdown_it\nprint(markdown_it.NAME)\n");
    INFO(markdown.err);
    CHECK(markdown.exit_code == 0);
    CHECK(markdown.out == "markdown-it-py\n");
}

TEST_CASE("import names: the table and PEP 794 metadata") {
    CHECK(run::known_distribution_count() >= 200);
    CHECK(run::known_distribution("markdown_it") == "markdown-it-py");
    CHECK(run::known_distribution("yaml") == "PyYAML");
    CHECK(run::known_distribution("dateutil") == "python-dateutil");
    CHECK_FALSE(run::known_distribution("rich"));
    CHECK(run::declared_import_names("Metadata-Version: 2.5\nName: x\nImport-Name: foo.bar\n"
                                     "Import-Namespace: ns ; private\n\nImport-Name: body\n") ==
          std::vector<std::string>{"foo", "ns"});
}
