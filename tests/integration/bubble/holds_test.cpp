// Bubbles held while they are in use: `omni bubble remove`, `bubble prune`
// and `cache clean` run while a real child uses a bubble (an `omni run`
// script with a PEP 723 dependency, a healed re-run, a matrix cell, a python
// that called omni_loader.use() and worker()). The child waits on a file in
// the middle, then imports from the bubble and checks the version: it
// succeeds, the remove is refused and prune keeps the bubble; once the child
// has ended the remove succeeds.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include <fmt/format.h>

#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct HoldFixture {
    test::OmniHome omni;
    stdfs::path links;
    stdfs::path started, go;
    bool ready = false;

    HoldFixture() {
        if (!test::pyenv_python("3.11"))
            return;
        links = omni.scratch() / "links";
        started = omni.scratch() / "started";
        go = omni.scratch() / "go";
        ProcessOptions make;
        make.argv = {"python3",
                     OMNI_FIXTURES_DIR "/make_index.py",
                     "--root",
                     links.string(),
                     "--flat",
                     "--spec-json",
                     R"({"packages": [{"name": "hold-lib", "version": "1.0", "modules": 1},
                                      {"name": "hold-lib", "version": "2.0", "modules": 1}]})"};
        REQUIRE(run_process(make).ok());
        REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
        REQUIRE(
            omni.omni({"config", "set", "index.find-links", "[\"" + links.string() + "\"]"}).ok());
        // The main env has 2.0, so 1.0 lives in a bubble.
        REQUIRE(omni.omni({"--no-index", "install", "hold-lib==2.0"}).ok());
        ready = true;
    }

    // Python that says it has started, then waits (bounded) for the go file.
    std::string gate() const {
        return fmt::format(R"(import os, sys, time
open("{}", "w").close()
for _ in range(1200):
    if os.path.exists("{}"):
        break
    time.sleep(0.05)
else:
    sys.exit(4)
)",
                           started.string(), go.string());
    }

    stdfs::path script(const std::string& name, const std::string& text) const {
        test::write_text(omni.scratch() / name, text);
        return omni.scratch() / name;
    }

    // Runs `child` on a thread; once it has started, tries every cleaner,
    // then lets it go on. Returns the child's result.
    ProcessResult while_running(const std::function<ProcessResult()>& child) const {
        std::atomic<bool> done{false};
        ProcessResult result;
        std::thread runner([&] {
            result = child();
            done = true;
        });
        for (int i = 0; i < 1200 && !done && !stdfs::exists(started); ++i)
            std::this_thread::sleep_for(50ms);
        const bool was_running = stdfs::exists(started) && !done;
        ProcessResult removal, prune, clean;
        if (was_running) {
            removal = omni.omni({"bubble", "remove", "hold-lib==1.0"});
            prune = omni.omni({"bubble", "prune", "--older-than", "0"});
            clean = omni.omni({"cache", "clean"});
        }
        test::write_text(go, "");
        runner.join();
        INFO(result.out << result.err);
        REQUIRE(was_running);
        INFO(removal.out << removal.err);
        CHECK_FALSE(removal.ok());
        CHECK_THAT(removal.err, Catch::Contains("in use"));
        INFO(prune.out << prune.err);
        CHECK(prune.ok());
        CHECK_THAT(prune.out, Catch::Contains("kept bubble hold-lib==1.0"));
        INFO(clean.out << clean.err);
        CHECK(clean.ok());
        return result;
    }

    // Once the child has ended, the bubble can go.
    void check_removable() const {
        const auto after = omni.omni({"bubble", "remove", "hold-lib==1.0"});
        INFO(after.out << after.err);
        CHECK(after.ok());
        CHECK_THAT(after.out, Catch::Contains("removed bubble hold-lib==1.0"));
    }
};

// After the gate: a module of the bubble not imported before, and its version.
const char* import_after_gate = R"(from hold_lib.sub0 import m_0
import hold_lib
print("imported", hold_lib.__version__, m_0.VERSION)
)";

}  // namespace

TEST_CASE("a bubble of omni run's PEP 723 dependency is held while the script runs") {
    HoldFixture f;
    if (!f.ready)
        return;
    const auto app = f.script("inline.py",
                              "# /// script\n# dependencies = [\"hold-lib==1.0\"]\n"
                              "# ///\n" +
                                  f.gate() + import_after_gate);
    const auto r = f.while_running([&] {
        return f.omni.omni({"--no-index", "run", app.string()});
    });
    CHECK(r.ok());
    CHECK(r.out == "imported 1.0 1.0\n");
    f.check_removable();
}

TEST_CASE("the bubble a heal built is held while the healed re-run runs") {
    HoldFixture f;
    if (!f.ready)
        return;
    // The first run fails against the main env's 2.0; the re-run has 1.0.
    const auto app = f.script("heal.py",
                              "import hold_lib\nassert hold_lib.__version__ == '1.0', "
                              "hold_lib.__version__\n" +
                                  f.gate() + import_after_gate);
    const auto r = f.while_running([&] {
        return f.omni.omni({"--no-index", "run", "--yes", app.string()});
    });
    CHECK(r.ok());
    CHECK_THAT(r.err, Catch::Contains("healed in 1 round"));
    CHECK(r.out == "imported 1.0 1.0\n");
    f.check_removable();
}

TEST_CASE("a matrix cell holds its bubble while its test runs") {
    HoldFixture f;
    if (!f.ready)
        return;
    const auto cell = f.script("cell.py", f.gate() + import_after_gate);
    const auto r = f.while_running([&] {
        return f.omni.omni({"--no-index", "matrix", "hold-lib", "--versions", "1.0", "--test",
                            "python " + shell_quote(cell.string()), "--format", "lines", "--json",
                            "r.json"});
    });
    CHECK(r.ok());
    const auto report = fs::read_file(f.omni.scratch() / "r.json");
    CHECK_THAT(report, Catch::Contains("\"passed\""));
    f.check_removable();
}

TEST_CASE("a python that called omni_loader.use() and worker() holds their bubbles") {
    HoldFixture f;
    if (!f.ready)
        return;
    REQUIRE(f.omni.omni({"--no-index", "bubble", "ensure", "hold-lib==1.0"}).ok());
    const auto app = f.script("loader.py",
                              "import omni_loader\n"
                              "with omni_loader.use('hold-lib==1.0'):\n"
                              "    import hold_lib\n"
                              "w = omni_loader.worker('hold-lib==1.0')\n" +
                                  f.gate() +
                                  "with omni_loader.use('hold-lib==1.0'):\n"
                                  "    from hold_lib.sub0 import m_0\n"
                                  "    import hold_lib\n"
                                  "    print('use', hold_lib.__version__, "
                                  "m_0.VERSION)\n"
                                  "print('worker', w.call('pkgutil:get_data', "
                                  "'hold_lib.sub0', 'm_0.py').decode().strip())\n");
    const auto r = f.while_running([&] {
        return f.omni.run({(f.omni.root() / "bin" / "python").string(), app.string()});
    });
    CHECK(r.ok());
    CHECK(r.out == "use 1.0 1.0\nworker VERSION = '1.0'\n");
    f.check_removable();
}
