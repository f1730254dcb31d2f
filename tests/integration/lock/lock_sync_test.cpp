// omni lock and omni sync through the binary, against a loopback index:
// the lock names every file with its sha256 and size and is byte-identical
// when made again; a sync into a fresh home with the server stopped (the
// wheels carried over in the cache) gives the same files, bubbles included;
// a bad lock changes nothing.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <optional>

#include "integration/index/fixture_server.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

constexpr const char* spec = R"({"packages": [
    {"name": "lk-app", "version": "1.0", "requires": ["lk-dep==1.0"]},
    {"name": "lk-app", "version": "2.0", "requires": ["lk-dep==2.0"]},
    {"name": "lk-dep", "version": "1.0"}, {"name": "lk-dep", "version": "2.0"},
    {"name": "lk-extra", "version": "1.0"}]})";

stdfs::path only_env(const test::OmniHome& omni) {
    stdfs::path env;
    for (const auto& e : stdfs::directory_iterator(omni.root() / "envs"))
        env = e.path();
    return env;
}

// dist-info name -> RECORD lines, for every distribution of a site-packages.
std::map<std::string, std::string> records(const stdfs::path& site) {
    std::map<std::string, std::string> out;
    for (const auto& e : stdfs::directory_iterator(site))
        if (e.path().extension() == ".dist-info") {
            // Without REQUESTED: a sync marks every package requested, as
            // `pip install -r` does.
            std::string kept;
            const auto text = fs::read_file(e.path() / "RECORD");
            std::size_t pos = 0;
            while (pos < text.size()) {
                const auto end = text.find('\n', pos);
                const auto line = text.substr(pos, end - pos);
                if (line.find(".dist-info/REQUESTED,") == std::string::npos)
                    kept += line + "\n";
                pos = end == std::string::npos ? text.size() : end + 1;
            }
            out[e.path().filename().string()] = kept;
        }
    return out;
}

ProcessResult ok(const ProcessResult& r) {
    INFO(r.out);
    INFO(r.err);
    REQUIRE(r.ok());
    return r;
}

}  // namespace

TEST_CASE("lock, then sync into a fresh home with the index stopped: the same files and bubbles",
          "[integration][lock]") {
    OMNI_REQUIRE_FIXTURE_PYTHON();
    if (!test::pyenv_python("3.11"))
        return;
    test::OmniHome omni;
    const auto tree = omni.scratch() / "index";
    test::make_index(tree, {"--spec-json", spec});
    std::optional<test::FixtureServer> server(std::in_place, tree);
    const auto index = server->url();
    omni.omni({"config", "set", "env.pip",
               "false"});  // no pip: these envs hold only what the test installs
    ok(omni.omni({"swap", "python", "3.11"}));
    ok(omni.omni({"--index-url", index, "install", "lk-app==2.0"}));
    ok(omni.omni({"--index-url", index, "install", "lk-app==1.0"}));  // a bubble
    const auto lock1 = omni.scratch() / "pylock.toml";
    const auto lock2 = omni.scratch() / "again.toml";
    ok(omni.omni({"--index-url", index, "lock", "-o", lock1.string()}));
    ok(omni.omni({"--index-url", index, "lock", "-o", lock2.string()}));
    const auto text = fs::read_file(lock1);
    CHECK(text == fs::read_file(lock2));

    // Python's own TOML reader as the judge of the file.
    const auto python = test::pyenv_python("3.11");
    const auto parsed = ok(omni.run({python->string(), "-c",
                                     "import json, sys, tomllib\n"
                                     "print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))",
                                     lock1.string()}));
    const auto doc = nlohmann::json::parse(parsed.out);
    CHECK(doc["lock-version"] == "1.0");
    CHECK(doc["created-by"] == "omni");
    CHECK(doc["requires-python"] == ">=3.11");
    REQUIRE(doc["packages"].size() == 2);
    CHECK(doc["packages"][0]["name"] == "lk-app");
    CHECK(doc["packages"][0]["version"] == "2.0");
    CHECK(doc["packages"][0]["index"] == index);
    const auto& wheel = doc["packages"][0]["wheels"][0];
    CHECK(wheel["name"] == "lk_app-2.0-py3-none-any.whl");
    const auto file = tree / "files" / "lk_app-2.0-py3-none-any.whl";
    CHECK(wheel["hashes"]["sha256"] == sha256_file(file));
    CHECK(wheel["size"] == stdfs::file_size(file));
    CHECK(wheel["url"].get<std::string>().starts_with("http://127.0.0.1:"));
    REQUIRE(doc["tool"]["omni"]["bubbles"].size() == 1);
    const auto& bubble = doc["tool"]["omni"]["bubbles"][0];
    CHECK(bubble["python"] == "cpython-3.11");
    CHECK(bubble["requirement"] == "lk-app==1.0");
    CHECK(bubble["packages"].size() == 2);
    CHECK(bubble["packages"][1]["wheels"][0]["name"] == "lk_dep-1.0-py3-none-any.whl");

    // A fresh home that has only the cached wheels, and no server.
    server.reset();
    test::OmniHome fresh;
    fresh.omni({"config", "set", "env.pip",
                "false"});  // no pip: these envs hold only what the test installs
    ok(fresh.omni({"swap", "python", "3.11"}));
    stdfs::create_directories(fresh.root() / "cache");
    stdfs::copy(omni.root() / "cache" / "wheels", fresh.root() / "cache" / "wheels",
                stdfs::copy_options::recursive);
    const auto dry = ok(fresh.omni({"--offline", "sync", lock1.string(), "--dry-run"}));
    CHECK_THAT(dry.out, Catch::Contains("would install lk-app 2.0"));
    CHECK_THAT(dry.out, Catch::Contains("would build bubble lk-app==1.0"));
    CHECK_FALSE(stdfs::exists(only_env(fresh) / "lib/python3.11/site-packages/lk_app"));
    const auto synced = ok(fresh.omni({"--index-url", index, "sync", lock1.string()}));
    CHECK_THAT(synced.out, Catch::Contains("installed lk-app 2.0"));
    CHECK_THAT(synced.out, Catch::Contains("built bubble lk-app==1.0"));
    const auto site = only_env(omni) / "lib/python3.11/site-packages";
    const auto fresh_site = only_env(fresh) / "lib/python3.11/site-packages";
    CHECK(records(fresh_site) == records(site));
    CHECK(ok(fresh.omni({"freeze", "--bubbles"})).out ==
          ok(omni.omni({"freeze", "--bubbles"})).out);
    // The bubble imports its own version.
    const auto bubble_dir = fresh.root() / "bubbles" / "cpython-3.11" / "lk-app-1.0";
    const auto with =
        ok(fresh.run({"env", "PYTHONPATH=" + bubble_dir.string(), python->string(), "-c",
                      "import lk_app, lk_dep; print(lk_app.__version__, "
                      "lk_dep.__version__)"}));
    CHECK_THAT(with.out, Catch::Contains("1.0 1.0"));
    // Again: nothing to do. An unlisted package goes (and is named), unless --inexact.
    CHECK_THAT(ok(fresh.omni({"--offline", "sync", lock1.string()})).out,
               Catch::Contains("already matches the lock"));
    const auto extra_dir = fresh.scratch() / "extra";
    ProcessOptions make;
    make.argv = {"python3",   OMNI_FIXTURES_DIR "/make_wheel.py",
                 "--name",    "lk-extra",
                 "--version", "1.0",
                 "--out",     extra_dir.string()};
    REQUIRE(run_process(make).ok());
    ok(fresh.omni(
        {"--offline", "install", (extra_dir / "lk_extra-1.0-py3-none-any.whl").string()}));
    CHECK_THAT(ok(fresh.omni({"--offline", "sync", "--inexact", lock1.string()})).out,
               Catch::Contains("kept 1 packages"));
    CHECK(stdfs::exists(fresh_site / "lk_extra"));
    CHECK_THAT(ok(fresh.omni({"--offline", "sync", lock1.string()})).out,
               Catch::Contains("removed lk-extra 1.0 (not in the lock)"));
    CHECK(records(fresh_site) == records(site));
}

TEST_CASE("sync refuses a bad lock with one clear error and leaves the env as it was",
          "[integration][lock]") {
    if (!test::pyenv_python("3.11"))
        return;
    test::OmniHome omni;
    const auto links = omni.scratch() / "links";
    ProcessOptions make;
    make.argv = {"python3", OMNI_FIXTURES_DIR "/make_index.py",
                 "--root",  links.string(),
                 "--flat",  "--spec-json",
                 spec};
    REQUIRE(run_process(make).ok());
    omni.omni({"config", "set", "env.pip",
               "false"});  // no pip: these envs hold only what the test installs
    ok(omni.omni({"swap", "python", "3.11"}));
    ok(omni.omni({"--no-index", "--find-links", links.string(), "install", "lk-extra"}));
    const auto good = omni.scratch() / "pylock.toml";
    ok(omni.omni({"--no-index", "--find-links", links.string(), "lock", "lk-app==2.0", "-o",
                  good.string()}));
    const auto text = fs::read_file(good);
    CHECK_THAT(text, Catch::Contains("path = \"" + links.string()));
    const auto before = ok(omni.omni({"freeze"})).out;
    const auto sha = sha256_file(links / "lk_app-2.0-py3-none-any.whl");

    const auto refused = [&](const std::string& name, const std::string& lock_text,
                             const std::string& message, int code) {
        INFO(name);
        const auto path = omni.scratch() / (name + ".toml");
        fs::atomic_write(path, lock_text);
        const auto r = omni.omni({"--no-index", "sync", path.string()});
        INFO(r.out);
        CHECK(r.exit_code == code);
        CHECK_THAT(r.err, Catch::Contains(message));
        CHECK(ok(omni.omni({"freeze"})).out == before);
    };
    auto mismatch = text;
    mismatch.replace(mismatch.find(sha), 64, std::string(64, '0'));
    refused("mismatch", mismatch, "lk_app-2.0-py3-none-any.whl", 10);
    // Neither in the cache nor at its path.
    const auto missing =
        "lock-version = '1.0'\n[[packages]]\nname = 'lk-dep'\nversion = '2.0'\n"
        "wheels = [{path = '" +
        (omni.scratch() / "gone").string() + "/lk_dep-2.0-py3-none-any.whl', hashes = {sha256 = '" +
        std::string(64, '1') + "'}}]\n";
    refused("missing", missing, "lk_dep-2.0-py3-none-any.whl", 4);
    refused("malformed", "lock-version = '1.0'\n[[packages]]\nname = 'x'\nwheels = 3\n",
            "'wheels' is not an array", 3);
    refused("foreign", "lock-version = '1.0'\nenvironments = [\"python_version == '2.7'\"]\n",
            "other environments", 4);
    auto old = text;
    old.replace(old.find("requires-python = \">=3.11\""), 26, "requires-python = \"<3\"");
    refused("requires-python", old, "requires Python <3", 4);
    refused(
        "no-match",
        "lock-version = '1.0'\n[[packages]]\nname = 'lk-app'\nversion = '2.0'\n"
        "marker = \"sys_platform == 'win32'\"\nwheels = [{path = '/x/lk_app-2.0-py3-none-any.whl', "
        "hashes = {sha256 = '" +
            sha + "'}}]\n",
        "no package of the lock applies", 4);
    const auto none = omni.omni({"sync", (omni.scratch() / "absent.toml").string()});
    CHECK(none.exit_code == 4);
    CHECK_THAT(none.err, Catch::Contains("absent.toml"));

    // A lock in pip's style (arrays of tables, a file:// URL, no size) syncs.
    const auto pip_style = omni.scratch() / "pip-style.toml";
    fs::atomic_write(pip_style,
                     "lock-version = \"1.0\"\ncreated-by = \"pip\"\n\n[[packages]]\nname = "
                     "\"lk-app\"\nversion = \"1.0\"\n\n[[packages.wheels]]\nurl = \"file://" +
                         (links / "lk_app-1.0-py3-none-any.whl").string() +
                         "\"\n\n[packages.wheels.hashes]\nsha256 = \"" +
                         sha256_file(links / "lk_app-1.0-py3-none-any.whl") + "\"\n");
    const auto r = ok(omni.omni({"--no-index", "sync", pip_style.string()}));
    CHECK_THAT(r.out, Catch::Contains("installed lk-app 1.0"));
    CHECK_THAT(r.out, Catch::Contains("removed lk-extra 1.0"));
    CHECK(ok(omni.omni({"freeze"})).out == "lk-app==1.0\n");
}
