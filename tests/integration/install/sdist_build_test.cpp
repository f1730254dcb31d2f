// Source distributions built with their PEP 517 backends: a setuptools
// project (the real setuptools and wheel wheels of this machine serve as its
// build requirements), an in-tree backend, and a build that fails on purpose.
#include <catch2/catch.hpp>
#include <thread>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

// setuptools from CPython 3.11's ensurepip (upstream; Debian's copy is
// patched for Debian's own Python) and wheel from Debian's python3-wheel-whl.
const stdfs::path setuptools_wheel =
    test::pyenv_root() /
    "versions/3.11.7/lib/python3.11/ensurepip/_bundled/setuptools-65.5.0-py3-none-any.whl";
const stdfs::path wheel_wheel = "/usr/share/python-wheels/wheel-0.38.4-py3-none-any.whl";

struct SdistFixture {
    test::OmniHome omni;
    stdfs::path links;
    bool ready = false;
    SdistFixture() {
        if (!test::pyenv_python("3.11"))
            return;
        for (const auto& w : {setuptools_wheel, wheel_wheel})
            if (!test::have(stdfs::exists(w),
                            w.string() + " is missing (apt-get install python3-wheel-whl)"))
                return;
        links = omni.scratch() / "links";
        stdfs::create_directories(links);
        for (const auto& w : {setuptools_wheel, wheel_wheel})
            stdfs::copy_file(w, links / w.filename());
        make({"--kind", "setuptools", "--name", "omni-sd-alpha", "--version", "1.0", "--requires",
              "omni-sd-beta>=1"});
        make({"--kind", "intree", "--name", "omni-sd-beta", "--version", "1.0"});
        make({"--kind", "broken", "--name", "omni-sd-broken", "--version", "1.0"});
        REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
        ready = true;
    }
    std::string make(std::vector<std::string> args, const stdfs::path& out = {}) const {
        ProcessOptions o;
        o.argv = {"python3", OMNI_FIXTURES_DIR "/make_sdist.py", "--out",
                  (out.empty() ? links : out).string()};
        o.argv.insert(o.argv.end(), args.begin(), args.end());
        const auto r = run_process(o);
        REQUIRE(r.ok());
        return r.out.substr(0, r.out.find('\n'));
    }
    ProcessResult run(std::vector<std::string> args, const stdfs::path& log = {}) const {
        std::vector<std::string> all{"--no-index", "--find-links", links.string()};
        if (!log.empty())
            all.insert(all.end(), {"--log-file", log.string()});
        all.insert(all.end(), args.begin(), args.end());
        return omni.omni(all);
    }
    ProcessResult python(const std::string& code) const {
        return omni.run({(omni.root() / "envs/cpython-3.11/bin/python").string(), "-c", code});
    }
    std::size_t builds(const stdfs::path& log, const std::string& wheel_prefix) const {
        if (!stdfs::exists(log))
            return 0;
        const auto text = fs::read_file(log);
        const auto needle = "built " + wheel_prefix;
        std::size_t n = 0;
        for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
            ++n;
        return n;
    }
};

}  // namespace

TEST_CASE("sdists: built with setuptools and an in-tree backend then installed, built once") {
    SdistFixture f;
    if (!f.ready)
        return;
    const auto log = f.omni.scratch() / "first.log";
    const auto r = f.run({"install", "omni-sd-alpha"}, log);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("installed omni-sd-alpha 1.0") &&
                          Catch::Contains("installed omni-sd-beta 1.0"));
    const auto imported = f.python(
        "import omni_sd_alpha, omni_sd_beta; print(omni_sd_alpha.hello(), omni_sd_beta.hello())");
    CHECK(imported.out == "omni-sd-alpha 1.0 omni-sd-beta 1.0\n");
    CHECK(f.builds(log, "omni_sd_alpha-1.0-") == 1);
    CHECK(f.builds(log, "omni_sd_beta-1.0-") == 1);
    // Installed again: the cached builds are used.
    const auto again_log = f.omni.scratch() / "again.log";
    REQUIRE(f.run({"install", "--reinstall", "omni-sd-alpha", "omni-sd-beta"}, again_log).ok());
    CHECK(f.builds(again_log, "omni_sd_") == 0);
    CHECK(stdfs::is_empty(f.omni.root() / "staging"));
}

TEST_CASE("sdists: two processes at once build each sdist once, bubbles import the result") {
    SdistFixture f;
    if (!f.ready)
        return;
    const auto log_a = f.omni.scratch() / "a.log", log_b = f.omni.scratch() / "b.log";
    ProcessResult a, b;
    std::thread first([&] { a = f.run({"bubble", "ensure", "omni-sd-alpha==1.0"}, log_a); });
    std::thread second([&] { b = f.run({"bubble", "ensure", "omni-sd-alpha==1.0"}, log_b); });
    first.join();
    second.join();
    INFO(a.err << b.err);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(f.builds(log_a, "omni_sd_alpha-1.0-") + f.builds(log_b, "omni_sd_alpha-1.0-") == 1);
    CHECK(f.builds(log_a, "omni_sd_beta-1.0-") + f.builds(log_b, "omni_sd_beta-1.0-") == 1);
    const auto bubble = a.out.substr(0, a.out.find('\n'));
    const auto r = f.omni.run({(f.omni.root() / "envs/cpython-3.11/bin/python").string(), "-c",
                               "import omni_sd_alpha; print(omni_sd_alpha.__file__)"});
    CHECK_FALSE(r.ok());  // not in the main env: only in the bubble
    CHECK(stdfs::exists(stdfs::path(bubble) / "omni_sd_alpha" / "__init__.py"));
    CHECK(stdfs::exists(stdfs::path(bubble) / "omni_sd_beta" / "__init__.py"));
}

TEST_CASE("sdists: a failing build names the package backend and hook and keeps its log") {
    SdistFixture f;
    if (!f.ready)
        return;
    const auto r = f.run({"install", "omni-sd-broken"});
    CHECK(r.exit_code == exit_status(ErrorCode::process));
    CHECK_THAT(r.err, Catch::Contains("building omni_sd_broken-1.0.tar.gz failed in build_wheel") &&
                          Catch::Contains("(backend omni_test_backend)") &&
                          Catch::Contains("this build fails on purpose"));
    const auto at = r.err.find("log: ");
    REQUIRE(at != std::string::npos);
    const stdfs::path log = r.err.substr(at + 5, r.err.find('\n', at) - at - 5);
    CHECK_THAT(fs::read_file(log), Catch::Contains("compiling the extension..."));
    CHECK_FALSE(f.python("import omni_sd_broken").ok());
    CHECK(stdfs::is_empty(f.omni.root() / "staging"));
    CHECK_FALSE(stdfs::exists(f.omni.root() / "cache" / "built"));
}

TEST_CASE("sdists: --only-binary refuses and --no-binary builds even when a wheel exists") {
    SdistFixture f;
    if (!f.ready)
        return;
    const auto refused = f.run({"install", "omni-sd-beta", "--only-binary", ":all:"});
    CHECK(refused.exit_code == exit_status(ErrorCode::not_found));
    CHECK_THAT(refused.err, Catch::Contains("--only-binary excludes them"));
    // A wheel of the same version beside the sdist: used unless --no-binary.
    ProcessOptions wheel;
    wheel.argv = {"python3",   OMNI_FIXTURES_DIR "/make_wheel.py",
                  "--name",    "omni-sd-beta",
                  "--version", "1.0",
                  "--out",     f.links.string()};
    REQUIRE(run_process(wheel).ok());
    const auto with_wheel = f.omni.scratch() / "wheel.log";
    REQUIRE(f.run({"install", "omni-sd-beta"}, with_wheel).ok());
    CHECK(f.builds(with_wheel, "omni_sd_beta") == 0);
    const auto forced = f.omni.scratch() / "forced.log";
    const auto r =
        f.run({"install", "--reinstall", "--no-binary", "omni-sd-beta", "omni-sd-beta"}, forced);
    INFO(r.err);
    CHECK(r.ok());
    CHECK(f.builds(forced, "omni_sd_beta-1.0-") == 1);
}

TEST_CASE("omni install ./project and -e ./project build local trees") {
    SdistFixture f;
    if (!f.ready)
        return;
    const stdfs::path project =
        f.make({"--kind", "setuptools", "--name", "omni-sd-local", "--version", "2.0", "--requires",
                "omni-sd-beta", "--project-dir"},
               f.omni.scratch() / "projects");
    const auto r = f.run({"install", project.string()});
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK_THAT(r.out, Catch::Contains("installed omni-sd-local 2.0 from"));
    CHECK(f.python("import omni_sd_local, omni_sd_beta; print(omni_sd_local.hello())").out ==
          "omni-sd-local 2.0\n");
    const auto site = f.omni.root() / "envs/cpython-3.11/lib/python3.11/site-packages";
    CHECK_THAT(fs::read_file(site / "omni_sd_local-2.0.dist-info/direct_url.json"),
               Catch::Contains("\"dir_info\":{}"));

    const stdfs::path editable =
        f.make({"--kind", "intree", "--name", "omni-sd-edit", "--version", "3.0", "--project-dir"},
               f.omni.scratch() / "projects");
    const auto e = f.run({"install", "-e", editable.string()});
    INFO(e.out << e.err);
    REQUIRE(e.ok());
    CHECK_THAT(fs::read_file(site / "omni_sd_edit-3.0.dist-info/direct_url.json"),
               Catch::Contains("\"editable\":true"));
    // The source is what runs: an edit shows without reinstalling.
    fs::atomic_write(editable / "omni_sd_edit" / "__init__.py", "__version__ = 'edited'\n");
    CHECK(f.python("import omni_sd_edit; print(omni_sd_edit.__version__)").out == "edited\n");

    const auto bad = f.run({"install", "-e", f.omni.scratch().string()});
    CHECK(bad.exit_code == exit_status(ErrorCode::invalid_input));
    CHECK_THAT(bad.err, Catch::Contains("is not a Python project"));
}

TEST_CASE("sdists: --no-build-isolation builds with the env's own packages") {
    SdistFixture f;
    if (!f.ready)
        return;
    // The main env has no setuptools yet: the backend cannot even be imported.
    const auto without = f.run({"install", "--no-build-isolation", "omni-sd-alpha"});
    CHECK(without.exit_code == exit_status(ErrorCode::process));
    CHECK_THAT(without.err, Catch::Contains("No module named 'setuptools'"));
    REQUIRE(f.run({"install", "setuptools", "wheel"}).ok());
    const auto with = f.run({"install", "--no-build-isolation", "omni-sd-alpha"});
    INFO(with.err);
    CHECK(with.ok());
    CHECK(f.python("import omni_sd_alpha; print(omni_sd_alpha.hello())").out ==
          "omni-sd-alpha 1.0\n");
}

TEST_CASE("sdists: a hostile sdist is rejected before anything is written") {
    SdistFixture f;
    if (!f.ready)
        return;
    ProcessOptions make;
    make.argv = {
        "python3", "-c",
        "import io, sys, tarfile\n"
        "with tarfile.open(sys.argv[1], 'w:gz') as t:\n"
        "    for name in ('omni_sd_evil-1.0/PKG-INFO', 'omni_sd_evil-1.0/../../evil.txt'):\n"
        "        data = b'Metadata-Version: 2.1\\nName: omni-sd-evil\\nVersion: 1.0\\n'\n"
        "        info = tarfile.TarInfo(name); info.size = len(data)\n"
        "        t.addfile(info, io.BytesIO(data))\n",
        (f.links / "omni_sd_evil-1.0.tar.gz").string()};
    REQUIRE(run_process(make).ok());
    const auto r = f.run({"install", "omni-sd-evil"});
    CHECK(r.exit_code == exit_status(ErrorCode::integrity));
    CHECK_THAT(r.err, Catch::Contains("evil.txt"));
    CHECK(stdfs::is_empty(f.omni.root() / "staging"));
    CHECK_FALSE(stdfs::exists(f.omni.root() / "evil.txt"));
    CHECK_FALSE(stdfs::exists(f.omni.root() / "cache" / "evil.txt"));
}
