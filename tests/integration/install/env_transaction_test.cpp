// Changes of a main env as transactions, through the omni binary: a wheel
// rejected during an upgrade leaves the old version working, a refused
// install leaves nothing, a dist-info without RECORD is not installed and
// can be replaced or uninstalled, and every change leaves a history record.
#include <catch2/catch.hpp>
#include <fstream>

#include <nlohmann/json.hpp>

#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

struct EnvFixture {
    test::OmniHome omni;
    stdfs::path links = omni.scratch() / "links";
    stdfs::path env;
    bool ready = false;

    EnvFixture() {
        if (!test::pyenv_python("3.11"))
            return;
        ProcessOptions make;
        make.argv = {"python3",        OMNI_FIXTURES_DIR "/make_index.py",
                     "--root",         links.string(),
                     "--flat",         "--spec-json",
                     R"({"packages": [
            {"name": "txn-pkg", "version": "1.0", "modules": 5},
            {"name": "txn-pkg", "version": "2.0", "modules": 5},
            {"name": "txn-other", "version": "1.0"}]})"};
        REQUIRE(run_process(make).ok());
        omni.omni({"config", "set", "env.pip",
                   "false"});  // no pip: these envs hold only what the test installs
        REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
        REQUIRE(
            omni.omni({"config", "set", "index.find-links", "[\"" + links.string() + "\"]"}).ok());
        for (const auto& e : stdfs::directory_iterator(omni.root() / "envs"))
            env = e.path();
        ready = true;
    }
    stdfs::path site() const { return env / "lib" / "python3.11" / "site-packages"; }
    ProcessResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), "--no-index");
        return omni.omni(args);
    }
    nlohmann::json check(const std::vector<std::string>& names) const {
        std::vector<std::string> argv{(env / "bin" / "python").string(),
                                      OMNI_FIXTURES_DIR "/check_env.py", site().string()};
        argv.insert(argv.end(), names.begin(), names.end());
        const auto r = omni.run(argv);
        INFO(r.err);
        REQUIRE(r.ok());
        return nlohmann::json::parse(r.out);
    }
    // A wheel whose file no longer matches its RECORD: unpacking rejects it.
    void add_damaged_wheel(const std::string& name, const std::string& version) {
        const auto r = omni.run({"python3", "-c",
                                 "import sys, zipfile\n"
                                 "sys.path.insert(0, sys.argv[1])\n"
                                 "import make_wheel\n"
                                 "p = make_wheel.build_wheel(sys.argv[2] + '/.damaged', "
                                 "sys.argv[3], sys.argv[4])\n"
                                 "out = sys.argv[2] + '/' + p.rsplit('/', 1)[1]\n"
                                 "with zipfile.ZipFile(p) as a, zipfile.ZipFile(out, 'w') as b:\n"
                                 "    for i in a.infolist():\n"
                                 "        data = a.read(i)\n"
                                 "        if i.filename.endswith('__init__.py'):\n"
                                 "            data += b'# tampered\\n'\n"
                                 "        b.writestr(i, data)\n",
                                 OMNI_FIXTURES_DIR, links.string(), name, version});
        INFO(r.err);
        REQUIRE(r.ok());
    }
    bool nothing_pending() const {
        std::error_code ec;
        return !stdfs::exists(env / ".omni" / "journal.json") &&
               (!stdfs::exists(env / ".omni" / "txn") || stdfs::is_empty(env / ".omni" / "txn"));
    }
};

}  // namespace

TEST_CASE("a wheel rejected during an upgrade leaves the old version working",
          "[integration][install]") {
    EnvFixture f;
    if (!f.ready)
        return;
    REQUIRE(f.run({"install", "txn-pkg==1.0"}).ok());
    f.add_damaged_wheel("txn-pkg", "3.0");
    const auto r = f.run({"install", "--main", "txn-pkg==3.0"});
    CHECK_FALSE(r.ok());
    CHECK_THAT(r.err, Catch::Contains("txn_pkg-3.0"));
    const auto v = f.check({"txn-pkg"});
    CHECK(v["dists"]["txn-pkg"] == "1.0");
    CHECK(v["imports"]["txn-pkg"] == "1.0");
    CHECK(v["bad"].empty());
    CHECK(v["strays"]["txn-pkg"].empty());
    CHECK(f.nothing_pending());

    SECTION("and a refused fresh install leaves nothing") {
        f.add_damaged_wheel("txn-fresh", "1.0");
        CHECK_FALSE(f.run({"install", "txn-fresh==1.0"}).ok());
        CHECK_FALSE(stdfs::exists(f.site() / "txn_fresh"));
        CHECK_FALSE(stdfs::exists(f.site() / "txn_fresh-1.0.dist-info"));
        CHECK(f.nothing_pending());
    }
}

TEST_CASE("an upgrade replaces the version whole and is recorded in the env's history",
          "[integration][install]") {
    EnvFixture f;
    if (!f.ready)
        return;
    REQUIRE(f.run({"install", "txn-pkg==1.0"}).ok());
    const auto up = f.run({"install", "--main", "txn-pkg==2.0"});
    INFO(up.err);
    REQUIRE(up.ok());
    const auto v = f.check({"txn-pkg"});
    CHECK(v["dists"]["txn-pkg"] == "2.0");
    CHECK(v["imports"]["txn-pkg"] == "2.0");
    CHECK(v["strays"]["txn-pkg"].empty());  // no file of 1.0 is left
    CHECK(v["bad"].empty());
    std::vector<nlohmann::json> records;
    for (const auto& e : stdfs::directory_iterator(f.env / ".omni" / "history"))
        records.push_back(nlohmann::json::parse(fs::read_file(e.path())));
    std::sort(records.begin(), records.end(),
              [](const auto& a, const auto& b) { return a["id"] < b["id"]; });
    REQUIRE(records.size() == 2);
    CHECK(records[0]["added"][0]["name"] == "txn-pkg");
    CHECK(records[0]["added"][0]["wheel_sha256"].get<std::string>().size() == 64);
    CHECK(records[1]["replaced"][0] ==
          nlohmann::json{{"name", "txn-pkg"}, {"from", "1.0"}, {"to", "2.0"}});
    CHECK_THAT(records[1]["command"].get<std::string>(), Catch::Contains("txn-pkg==2.0"));
    const auto down = f.run({"uninstall", "txn-pkg"});
    REQUIRE(down.ok());
    CHECK(f.check({"txn-pkg"})["strays"]["txn-pkg"].empty());
    CHECK_FALSE(stdfs::exists(f.site() / "txn_pkg"));
}

TEST_CASE("a dist-info without RECORD is not installed, install replaces it, uninstall removes it",
          "[integration][install]") {
    EnvFixture f;
    if (!f.ready)
        return;
    const auto phantom = f.site() / "txn_other-1.0.dist-info";
    stdfs::create_directories(phantom);
    fs::atomic_write(phantom / "METADATA",
                     "Metadata-Version: 2.1\nName: txn-other\nVersion: 1.0\n");
    const auto list = f.run({"list"});
    REQUIRE(list.ok());
    CHECK_THAT(list.out, !Catch::Contains("txn-other"));

    SECTION("install") {
        const auto r = f.run({"install", "txn-other==1.0"});
        INFO(r.err);
        REQUIRE(r.ok());
        CHECK_THAT(r.out, Catch::Contains("installed txn-other 1.0"));
        const auto v = f.check({"txn-other"});
        CHECK(v["dists"]["txn-other"] == "1.0");
        CHECK(v["phantoms"].empty());
        CHECK(v["bad"].empty());
    }
    SECTION("uninstall") {
        const auto r = f.run({"uninstall", "txn-other"});
        INFO(r.err);
        REQUIRE(r.ok());
        CHECK_THAT(r.err, Catch::Contains("no RECORD"));
        CHECK_FALSE(stdfs::exists(phantom));
    }
}

TEST_CASE("each link mode installs a working package", "[integration][install][link]") {
    for (const std::string mode : {"hardlink", "copy", "symlink", "clone"}) {
        EnvFixture f;
        if (!f.ready)
            return;
        INFO(mode);
        const auto r = f.run({"install", "--link-mode", mode, "txn-pkg==1.0"});
        INFO(r.err);
        REQUIRE(r.ok());
        const auto v = f.check({"txn-pkg"});
        CHECK(v["imports"]["txn-pkg"] == "1.0");
        CHECK(v["bad"].empty());
        const auto file = f.site() / "txn_pkg" / "__init__.py";
        if (mode == "symlink") {
            CHECK(stdfs::is_symlink(file));
        } else {
            CHECK_FALSE(stdfs::is_symlink(file));
            // clone falls back to a copy where the file system cannot reflink
            CHECK(stdfs::hard_link_count(file) == (mode == "hardlink" ? 2u : 1u));
        }
    }
}

TEST_CASE("the link mode comes from the flag, then OMNI_LINK_MODE, then the config",
          "[integration][install][link]") {
    EnvFixture f;
    if (!f.ready)
        return;
    REQUIRE(f.omni.omni({"config", "set", "install.link-mode", "\"symlink\""}).ok());
    const auto file = f.site() / "txn_pkg" / "__init__.py";
    REQUIRE(
        f.omni.omni({"--no-index", "install", "txn-pkg==1.0"}, {{"OMNI_LINK_MODE", "copy"}}).ok());
    CHECK_FALSE(stdfs::is_symlink(file));
    CHECK(stdfs::hard_link_count(file) == 1u);
    REQUIRE(f.run({"uninstall", "txn-pkg"}).ok());
    REQUIRE(f.run({"install", "txn-pkg==1.0"}).ok());
    CHECK(stdfs::is_symlink(file));
    REQUIRE(f.run({"uninstall", "txn-pkg"}).ok());
    const auto bad = f.run({"install", "--link-mode", "reflink", "txn-pkg==1.0"});
    CHECK(bad.exit_code == 3);
    CHECK_THAT(bad.err, Catch::Contains("unknown link mode 'reflink' (from --link-mode)"));
    CHECK_FALSE(stdfs::exists(f.site() / "txn_pkg"));
}

TEST_CASE("a hard-linked file edited in the env is reported, and --reinstall repairs it",
          "[integration][install][link]") {
    EnvFixture f;
    if (!f.ready)
        return;
    REQUIRE(f.run({"install", "--link-mode", "hardlink", "txn-pkg==1.0"}).ok());
    const auto file = f.site() / "txn_pkg" / "__init__.py";
    const auto original = fs::read_file(file);
    {
        std::ofstream out(file, std::ios::app);
        out << "# edited in place\n";
    }
    const auto doctor = f.run({"doctor"});
    CHECK_FALSE(doctor.ok());
    CHECK_THAT(doctor.out, Catch::Contains("txn-pkg 1.0: 1 modified (txn_pkg/__init__.py)"));
    CHECK_THAT(doctor.out, Catch::Contains("shared with the cache"));
    const auto r = f.run({"install", "--reinstall", "txn-pkg==1.0"});
    INFO(r.err);
    REQUIRE(r.ok());
    CHECK(fs::read_file(file) == original);
    CHECK(f.check({"txn-pkg"})["bad"].empty());
    // The next env linking from the cache gets the wheel's bytes too.
    for (const auto& tree : stdfs::directory_iterator(f.omni.root() / "cache" / "unpacked"))
        if (stdfs::exists(tree.path() / "txn_pkg" / "__init__.py"))
            CHECK(fs::read_file(tree.path() / "txn_pkg" / "__init__.py").find("edited") ==
                  std::string::npos);
}

TEST_CASE("omni doctor --repair removes phantoms and reinstalls damaged distributions",
          "[integration][install][doctor]") {
    EnvFixture f;
    if (!f.ready)
        return;
    REQUIRE(f.run({"install", "txn-pkg==1.0", "txn-other==1.0"}).ok());
    stdfs::remove(f.site() / "txn_pkg" / "sub0" / "m_0.py");
    stdfs::create_directories(f.site() / "ghost-1.0.dist-info");
    const auto before = f.run({"doctor"});
    CHECK_FALSE(before.ok());
    CHECK_THAT(before.out, Catch::Contains("ghost-1.0.dist-info has no RECORD"));
    CHECK_THAT(before.out, Catch::Contains("txn-pkg 1.0: 1 missing (txn_pkg/sub0/m_0.py)"));
    const auto repair = f.run({"doctor", "--repair"});
    INFO(repair.out << repair.err);
    CHECK_THAT(repair.out, Catch::Contains("removed ghost-1.0.dist-info"));
    CHECK_THAT(repair.out, Catch::Contains("reinstalled txn-pkg 1.0"));
    CHECK(stdfs::exists(f.site() / "txn_pkg" / "sub0" / "m_0.py"));
    const auto after = f.run({"doctor", "--deep"});
    CHECK_THAT(after.out, Catch::Contains("distributions whole (every RECORD hash checked)"));
    CHECK_THAT(after.out, !Catch::Contains("no RECORD"));
}

TEST_CASE("omni doctor checks, and --repair repairs, a second main env and a bubble",
          "[integration][install][doctor]") {
    EnvFixture f;
    if (!f.ready || !test::pyenv_python("3.12"))
        return;
    // 3.11's main env has 2.0, so its 1.0 is a bubble; 3.12's main env has 1.0.
    REQUIRE(f.run({"install", "txn-pkg==2.0"}).ok());
    REQUIRE(f.run({"bubble", "ensure", "txn-pkg==1.0"}).ok());
    const auto second = f.run({"--python", "3.12", "install", "txn-pkg==1.0"});
    INFO(second.out << second.err);
    REQUIRE(second.ok());
    const auto bubble = f.omni.root() / "bubbles" / "cpython-3.11" / "txn-pkg-1.0";
    const auto other_env = f.omni.root() / "envs" / "cpython-3.12";
    const auto other_site = other_env / "lib" / "python3.12" / "site-packages";
    REQUIRE(stdfs::exists(bubble / "txn_pkg" / "sub1" / "m_1.py"));
    REQUIRE(stdfs::exists(other_site / "txn_pkg" / "sub0" / "m_0.py"));
    stdfs::remove(other_site / "txn_pkg" / "sub0" / "m_0.py");
    stdfs::remove(bubble / "txn_pkg" / "sub0" / "m_0.py");
    const auto edited = bubble / "txn_pkg" / "sub1" / "m_1.py";
    const auto original = fs::read_file(edited);
    {
        std::ofstream out(edited, std::ios::app);
        out << "# edited in place\n";
    }

    const auto before = f.run({"doctor"});
    INFO(before.out << before.err);
    CHECK_FALSE(before.ok());
    CHECK_THAT(before.out, Catch::Contains("env " + other_env.string() +
                                           ": txn-pkg 1.0: 1 missing (txn_pkg/sub0/m_0.py)"));
    CHECK_THAT(before.out,
               Catch::Contains("bubble txn-pkg==1.0 (cpython-3.11): txn-pkg 1.0: 1 missing "
                               "(txn_pkg/sub0/m_0.py), 1 modified (txn_pkg/sub1/m_1.py)"));

    const auto repair = f.run({"doctor", "--repair"});
    INFO(repair.out << repair.err);
    CHECK_THAT(repair.out,
               Catch::Contains("env " + other_env.string() + ": reinstalled txn-pkg 1.0"));
    CHECK_THAT(repair.out,
               Catch::Contains("bubble txn-pkg==1.0 (cpython-3.11): rebuilt for txn-pkg 1.0"));
    CHECK(stdfs::exists(other_site / "txn_pkg" / "sub0" / "m_0.py"));
    CHECK(stdfs::exists(bubble / "txn_pkg" / "sub0" / "m_0.py"));
    CHECK(fs::read_file(edited) == original);
    CHECK(stdfs::exists(bubble / "bubble.json"));

    const auto after = f.run({"doctor", "--deep"});
    INFO(after.out << after.err);
    CHECK_THAT(after.out, Catch::Contains("bubble txn-pkg==1.0 (cpython-3.11): 1 distributions "
                                          "whole (every RECORD hash checked)"));
    CHECK_THAT(after.out, Catch::Contains("env " + other_env.string() +
                                          ": 1 distributions whole (every RECORD hash checked)"));
    CHECK_THAT(after.out, !Catch::Contains("missing"));
    CHECK_THAT(after.out, !Catch::Contains("modified"));
    // The rebuilt bubble is the one a program gets.
    const auto used = f.run({"exec", "--with", "txn-pkg==1.0", "--", "python", "-c",
                             "from txn_pkg.sub0 import m_0; print(m_0.VERSION)"});
    INFO(used.err);
    CHECK(used.out == "1.0\n");
}

TEST_CASE("omni doctor --repair leaves a damaged bubble that is in use as it is",
          "[integration][install][doctor]") {
    EnvFixture f;
    if (!f.ready)
        return;
    REQUIRE(f.run({"install", "txn-pkg==2.0"}).ok());
    REQUIRE(f.run({"bubble", "ensure", "txn-pkg==1.0"}).ok());
    const auto bubble = f.omni.root() / "bubbles" / "cpython-3.11" / "txn-pkg-1.0";
    stdfs::remove(bubble / "txn_pkg" / "sub0" / "m_0.py");
    // A running command holds it as omni exec does: locks/bubble-use-....lock, shared.
    const auto hold = FileLock::acquire(
        f.omni.root() / "locks" / "bubble-use-cpython-3.11-txn-pkg-1.0.lock", LockMode::shared);
    const auto repair = f.run({"doctor", "--repair"});
    INFO(repair.out << repair.err);
    CHECK_FALSE(repair.ok());
    CHECK_THAT(repair.out, Catch::Contains("bubble txn-pkg==1.0 (cpython-3.11): not repaired: "
                                           "txn-pkg 1.0: bubble txn-pkg==1.0 (cpython-3.11) is "
                                           "in use by a running command"));
    CHECK(stdfs::exists(bubble / "bubble.json"));
}

namespace {

// A tmpfs of `size` at `dir`, unmounted again; empty when mounting is not
// possible here (not root, no mount namespace).
class TinyDisk {
  public:
    TinyDisk(const stdfs::path& dir, const std::string& size) : dir_(dir) {
        stdfs::create_directories(dir);
        ProcessOptions o;
        o.argv = {"mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.string()};
        mounted_ = run_process(o).ok();
    }
    ~TinyDisk() {
        if (!mounted_)
            return;
        ProcessOptions o;
        o.argv = {"umount", "-l", dir_.string()};
        (void)run_process(o);
    }
    TinyDisk(const TinyDisk&) = delete;
    TinyDisk& operator=(const TinyDisk&) = delete;
    bool mounted() const { return mounted_; }

  private:
    stdfs::path dir_;
    bool mounted_ = false;
};

}  // namespace

TEST_CASE("a full disk under the env is one clear error and the env is untouched",
          "[integration][install][enospc]") {
    EnvFixture f;
    if (!f.ready)
        return;
    const auto python = test::pyenv_python("3.11");
    TinyDisk disk(f.omni.scratch() / "tiny", "600k");
    if (!test::have(disk.mounted(), "a tmpfs mount (needs root)"))
        return;
    const auto venv = f.omni.scratch() / "tiny" / "venv";
    REQUIRE(f.omni.run({python->string(), "-m", "venv", "--without-pip", venv.string()}).ok());
    ProcessOptions make;
    make.argv = {"python3",   OMNI_FIXTURES_DIR "/make_wheel.py",
                 "--name",    "txn-big",
                 "--version", "1.0",
                 "--out",     f.links.string(),
                 "--padding", "2000000"};
    REQUIRE(run_process(make).ok());
    const auto site = venv / "lib" / "python3.11" / "site-packages";
    const auto r = f.run({"--env", venv.string(), "install", "txn-big==1.0"});
    CHECK(r.exit_code == 6);
    CHECK_THAT(r.err, Catch::Contains("the disk is full"));
    CHECK_THAT(r.err, Catch::Contains("hint: free some space"));
    CHECK_FALSE(stdfs::exists(site / "txn_big"));
    CHECK_FALSE(stdfs::exists(site / "txn_big-1.0.dist-info"));
    CHECK_FALSE(stdfs::exists(venv / ".omni" / "journal.json"));
    CHECK(f.run({"--env", venv.string(), "list"}).ok());
}

TEST_CASE("a full disk under the home is one clear error and the config is untouched",
          "[integration][install][enospc]") {
    EnvFixture f;
    if (!f.ready)
        return;
    // The whole home on a small file system: its main env, config and cache.
    TinyDisk disk(f.omni.root(), "4m");
    if (!test::have(disk.mounted(), "a tmpfs mount (needs root)"))
        return;
    f.omni.omni({"config", "set", "env.pip",
                 "false"});  // no pip: these envs hold only what the test installs
    REQUIRE(f.omni.omni({"swap", "python", "3.11"}).ok());
    REQUIRE(
        f.omni.omni({"config", "set", "index.find-links", "[\"" + f.links.string() + "\"]"}).ok());
    ProcessOptions make;
    make.argv = {"python3",   OMNI_FIXTURES_DIR "/make_wheel.py",
                 "--name",    "txn-big",
                 "--version", "1.0",
                 "--out",     f.links.string(),
                 "--padding", "6000000"};
    REQUIRE(run_process(make).ok());
    const auto config = fs::read_file(f.omni.root() / "config.json");
    const auto r = f.run({"install", "txn-big==1.0"});
    CHECK(r.exit_code == 6);
    CHECK_THAT(r.err, Catch::Contains("the disk is full"));
    CHECK(fs::read_file(f.omni.root() / "config.json") == config);
    CHECK_FALSE(stdfs::exists(f.site() / "txn_big"));
    CHECK(f.check({})["phantoms"].empty());
}
