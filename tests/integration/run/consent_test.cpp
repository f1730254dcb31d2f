// Consent covers everything new (transitive distributions too, `deny` beats
// --yes, PEP 723 dependencies need none), dry runs leave $OMNI_HOME as it
// was, and versions already here need no index (exec --with, the loader).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

// omni-known 1.0 is in the main env; 2.0 needs omni-newdep, never seen here.
struct ConsentFixture {
    test::OmniHome omni;
    stdfs::path links;
    bool ready = false;
    ConsentFixture() {
        if (!test::pyenv_python("3.11"))
            return;
        links = omni.scratch() / "links";
        const nlohmann::json spec = {
            {"packages",
             {{{"name", "omni-known"}, {"version", "1.0"}},
              {{"name", "omni-known"}, {"version", "2.0"}, {"requires", {"omni-newdep>=1"}}},
              {{"name", "omni-newdep"}, {"version", "1.0"}},
              {{"name", "omni-stats"}, {"version", "1.0"}},
              {{"name", "omni-stats"},
               {"version", "2.0"},
               {"files",
                {{"omni_stats/__init__.py",
                  "__version__ = '2.0'\ndef summary():\n    return 2\n"}}}}}}};
        ProcessOptions make;
        make.argv = {"python3",  OMNI_FIXTURES_DIR "/make_index.py",
                     "--root",   links.string(),
                     "--flat",   "--spec-json",
                     spec.dump()};
        REQUIRE(run_process(make).ok());
        REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
        REQUIRE(omni.omni({"--no-index", "--find-links", links.string(), "install",
                           "omni-known==1.0", "omni-stats==1.0"})
                    .ok());
        ready = true;
    }
    ProcessResult omni_with_links(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--no-index", "--find-links", links.string()});
        return omni.omni(args);
    }
    stdfs::path script(const std::string& name, const std::string& text) const {
        test::write_text(omni.scratch() / name, text);
        return omni.scratch() / name;
    }
};

const char* wants_two = "import omni_known\nassert omni_known.__version__ == '2.0'\n";

// Every path under the home with its size and contents' hash, sorted.
std::string listing(const stdfs::path& root) {
    std::vector<std::string> lines;
    for (const auto& e : stdfs::recursive_directory_iterator(root)) {
        auto line = stdfs::relative(e.path(), root).string();
        if (e.is_regular_file())
            line += " " + std::to_string(std::hash<std::string>{}(fs::read_file(e.path())));
        lines.push_back(line);
    }
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const auto& l : lines)
        out += l + "\n";
    return out;
}

}  // namespace

TEST_CASE("omni run: consent covers transitive distributions, and deny beats --yes") {
    ConsentFixture f;
    if (!f.ready)
        return;
    const auto app = f.script("app.py", wants_two);
    // Not a terminal, no --yes: the plan names the new dependency, nothing is built.
    auto r = f.omni_with_links({"run", app.string()});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("omni_known==2.0"));
    CHECK_THAT(r.err, Catch::Contains("[new to this machine: omni-newdep]"));
    CHECK_THAT(r.err, Catch::Contains("not approved"));
    CHECK_FALSE(stdfs::exists(f.omni.root() / "bubbles/cpython-3.11/omni-known-2.0"));
    // deny in the config wins over --yes.
    REQUIRE(f.omni.omni({"config", "set", "heal.new-packages", "deny"}).ok());
    r = f.omni_with_links({"run", "--yes", app.string()});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("heal.new-packages is 'deny'"));
    CHECK_FALSE(stdfs::exists(f.omni.root() / "bubbles/cpython-3.11/omni-known-2.0"));
    REQUIRE(f.omni.omni({"config", "set", "heal.new-packages", "ask"}).ok());
    r = f.omni_with_links({"run", "--yes", app.string()});
    CHECK(r.exit_code == 0);
    CHECK(stdfs::exists(f.omni.root() / "bubbles/cpython-3.11/omni-known-2.0/bubble.json"));
}

TEST_CASE("omni run: PEP 723 dependencies install without a prompt") {
    ConsentFixture f;
    if (!f.ready)
        return;
    const auto app = f.script("pep723.py",
                              "# /// script\n# dependencies = [\"omni-newdep==1.0\"]\n# ///\n"
                              "import omni_newdep\nprint(omni_newdep.__version__)\n");
    const auto r = f.omni_with_links({"run", app.string()});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "1.0\n");
}

TEST_CASE("omni run --dry-run leaves $OMNI_HOME unchanged") {
    ConsentFixture f;
    if (!f.ready)
        return;
    // A version pin with a new dependency, a missing module and a missing
    // name (which would need probes): none is built.
    const auto pin = f.script("pin.py", wants_two);
    const auto module = f.script("module.py", "import omni_newdep\n");
    const auto name = f.script("name.py", "from omni_stats import summary\n");
    const auto pep723 = f.script("deps.py",
                                 "# /// script\n# dependencies = [\"omni-newdep==1.0\"]\n# ///\n"
                                 "import omni_newdep\n");
    // Warm: the interpreter registry and main env exist already.
    REQUIRE(f.omni_with_links({"run", "--dry-run", pin.string()}).exit_code == 1);
    const auto before = listing(f.omni.root());
    for (const auto& script : {pin, module, name, pep723}) {
        const auto r = f.omni_with_links({"run", "--dry-run", "--yes", script.string()});
        INFO(script.filename().string() << ": " << r.err);
        CHECK(r.exit_code != 0);
        CHECK((r.err.find("dry run") != std::string::npos));
    }
    CHECK(listing(f.omni.root()) == before);
}

TEST_CASE("exec --with and the loader use versions already here, with no index") {
    ConsentFixture f;
    if (!f.ready)
        return;
    // A bubble made while the index was there.
    auto built = f.omni_with_links({"bubble", "ensure", "omni-known==2.0"});
    REQUIRE(built.ok());
    stdfs::remove_all(f.links);  // no package source any more
    const std::string check = "import omni_known; print(omni_known.__version__)";
    for (const auto* version : {"1.0", "2.0"}) {
        INFO(version);
        const auto r =
            f.omni.omni({"--offline", "exec", "--with", std::string("omni-known==") + version, "--",
                         "python", "-c", check});
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(r.out == std::string(version) + "\n");
        const auto loaded = f.omni.run(
            {f.omni.bin().string(), "-c",
             std::string("import omni_loader\nwith omni_loader.use('omni-known==") + version +
                 "'):\n    import omni_known\n    print(omni_known.__version__)\n"});
        INFO(loaded.err);
        CHECK(loaded.out == std::string(version) + "\n");
    }
}
