// omni python install / uninstall / update-catalogue and swap's auto-install,
// against a python-build-standalone style mirror served on 127.0.0.1, whose
// archive is packed from a real pyenv CPython 3.12 (once per build tree).
#include <catch2/catch.hpp>

#include <future>
#include <regex>

#include <nlohmann/json.hpp>

#include "integration/index/fixture_server.hpp"
#include "omni/python/catalogue.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

const std::string tag = "20990101";

struct PbsArchive {
    stdfs::path file;  // the cached archive
    std::string version;
    std::string filename;
    std::string sha256;
};

// Packs ~/.pyenv/versions/3.12.* once per build tree (under a lock, since
// ctest runs test cases as separate processes).
std::optional<PbsArchive> pbs_archive() {
    const auto python = test::pyenv_python("3.12");
    if (!python)
        return std::nullopt;
    if (test::fixture_python().empty()) {
        if (test::ci())
            FAIL("no Python 3 under ~/.pyenv for the fixtures");
        WARN("SKIP: no Python 3 under ~/.pyenv for the fixtures");
        return std::nullopt;
    }
    const auto prefix = stdfs::canonical(*python).parent_path().parent_path();
    PbsArchive a;
    a.version = prefix.filename().string();  // "3.12.1"
    const auto platform = python::Platform::current();
    a.filename = "cpython-" + a.version + "+" + tag + "-" + platform.arch + "-unknown-linux-" +
                 platform.libc + "-install_only.tar.gz";
    const stdfs::path cache = OMNI_TEST_CACHE_DIR;
    stdfs::create_directories(cache);
    a.file = cache / a.filename;
    const auto lock =
        FileLock::acquire(cache / "pbs-archive.lock", LockMode::exclusive, std::chrono::minutes(5));
    if (!stdfs::exists(a.file)) {
        ProcessOptions pack;
        pack.argv = {test::fixture_python().string(),
                     (test::fixtures_dir() / "make_pbs_archive.py").string(),
                     "--prefix",
                     prefix.string(),
                     "--out",
                     a.file.string()};
        const auto r = run_process(pack);
        INFO(r.err);
        REQUIRE(r.ok());
    }
    a.sha256 = sha256_file(a.file);
    return a;
}

std::string escaped(std::string name) {
    const auto plus = name.find('+');
    return plus == std::string::npos ? name : name.replace(plus, 1, "%2B");
}

// A mirror tree <root>/<tag>/<filename> and a catalogue naming it.
struct Mirror {
    test::TempDir dir;
    PbsArchive archive;
    stdfs::path root = dir / "mirror";
    stdfs::path catalogue = dir / "catalogue.json";

    explicit Mirror(PbsArchive a) : archive(std::move(a)) {
        stdfs::create_directories(root / tag);
        stdfs::create_hard_link(archive.file, root / tag / archive.filename);
    }
    // base: the URL prefix the catalogue's entries use.
    void write_catalogue(const std::string& base, const std::string& sha256,
                         const std::vector<nlohmann::json>& extra = {}) const {
        const auto platform = python::Platform::current();
        nlohmann::json entry = {{"implementation", "cpython"},
                                {"version", archive.version},
                                {"tag", tag},
                                {"arch", platform.arch},
                                {"os", "linux"},
                                {"libc", platform.libc},
                                {"variant", "install_only"},
                                {"filename", archive.filename},
                                {"url", base + "/" + tag + "/" + escaped(archive.filename)},
                                {"sha256", sha256}};
        auto downloads = nlohmann::json::array({entry});
        for (const auto& e : extra)
            downloads.push_back(e);
        fs::atomic_write(catalogue,
                         nlohmann::json({{"schema_version", 1}, {"downloads", downloads}}).dump());
    }
    std::string install_name() const {
        const auto platform = python::Platform::current();
        return "cpython-" + archive.version + "-linux-" + platform.arch + "-" + platform.libc;
    }
};

// A catalogue entry for `version` served as <base>/<tag>/<filename> from
// the mirror, whose archive holds only a python/bin/python3 script that
// prints what omni's check asks for.
nlohmann::json scripted_entry(const Mirror& mirror, const std::string& base,
                              const std::string& version) {
    const auto platform = python::Platform::current();
    const auto filename = "cpython-" + version + "+" + tag + "-" + platform.arch +
                          "-unknown-linux-" + platform.libc + "-install_only.tar.gz";
    const auto file = mirror.root / tag / filename;
    ProcessOptions make;
    make.argv = {test::fixture_python().string(), "-c",
                 "import io, sys, tarfile\n"
                 "with tarfile.open(sys.argv[1], 'w:gz') as t:\n"
                 "    data = ('#!/bin/sh\\necho %s cpython\\n' % sys.argv[2]).encode()\n"
                 "    info = tarfile.TarInfo('python/bin/python3'); info.size = len(data)\n"
                 "    info.mode = 0o755\n"
                 "    t.addfile(info, io.BytesIO(data))\n",
                 file.string(), version};
    REQUIRE(run_process(make).ok());
    return {{"implementation", "cpython"},
            {"version", version},
            {"tag", tag},
            {"arch", platform.arch},
            {"os", "linux"},
            {"libc", platform.libc},
            {"variant", "install_only"},
            {"filename", filename},
            {"url", base + "/" + tag + "/" + escaped(filename)},
            {"sha256", sha256_file(file)},
            {"prerelease", true}};
}

std::size_t entries(const stdfs::path& dir) {
    std::error_code ec;
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : stdfs::directory_iterator(dir, ec))
        ++n;
    return n;
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

}  // namespace

TEST_CASE("python install from a loopback mirror then list swap and uninstall") {
    auto archive = pbs_archive();
    if (!archive)
        return;
    Mirror mirror(*archive);
    test::FixtureServer server(mirror.root);
    // The catalogue names GitHub (unreachable here); --mirror replaces the prefix.
    mirror.write_catalogue(std::string(python::pbs_download_base), archive->sha256);
    test::OmniHome home;
    const std::map<std::string, std::optional<std::string>> env = {
        {"OMNI_PYTHON_CATALOGUE", mirror.catalogue.string()}};
    const auto mirror_url = server.url("/");

    auto r = home.omni({"python", "install", "3.12", "--mirror", mirror_url}, env);
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK(r.out.find("installed cpython " + archive->version) != std::string::npos);
    const auto root = home.root() / "interpreters" / mirror.install_name();
    const auto run = home.run(
        {(root / "bin/python3").string(), "-c", "import sys, json, ssl; print(sys.prefix)"});
    INFO(run.err);
    REQUIRE(run.ok());
    CHECK(trimmed(run.out) == root.string());
    CHECK(entries(home.root() / "staging") == 0);
    CHECK(server.count(escaped(archive->filename)) == 1);

    // Registered as managed, preferred over the pyenv build of the same version.
    r = home.omni({"python", "list", "--json"}, env);
    REQUIRE(r.ok());
    bool listed = false;
    for (const auto& item : nlohmann::json::parse(r.out))
        if (item["source"] == "managed" &&
            item["path"].get<std::string>().starts_with(root.string()))
            listed = true;
    CHECK(listed);

    // Installed already: nothing is fetched again.
    r = home.omni({"python", "install", "cpython@3.12", "--mirror", mirror_url}, env);
    REQUIRE(r.ok());
    CHECK(r.out.find("already installed") != std::string::npos);
    CHECK(server.count(escaped(archive->filename)) == 1);

    r = home.omni({"swap", "python", "3.12"}, env);
    INFO(r.err);
    REQUIRE(r.ok());
    const auto base = home.run({home.bin().string(), "-c", "import sys; print(sys.base_prefix)"});
    REQUIRE(base.ok());
    CHECK(trimmed(base.out) == root.string());

    r = home.omni({"python", "uninstall", "3.12"}, env);
    INFO(r.err);
    REQUIRE(r.ok());
    CHECK(r.out.find("removed " + root.string()) != std::string::npos);
    CHECK_FALSE(stdfs::exists(root));
    CHECK_FALSE(stdfs::exists(home.root() / "envs" / "cpython-3.12"));
    CHECK(entries(home.root() / "staging") == 0);
    r = home.omni({"python", "list", "--json"}, env);
    REQUIRE(r.ok());
    for (const auto& item : nlohmann::json::parse(r.out))
        CHECK(item["source"] != "managed");

    // Only what omni installed can be uninstalled.
    if (test::pyenv_python("3.11")) {
        r = home.omni({"python", "uninstall", "3.11"}, env);
        CHECK(r.exit_code == 3);
        CHECK(r.err.find("did not install") != std::string::npos);
        CHECK(r.err.find("omni python forget 3.11") != std::string::npos);
    }
    r = home.omni({"python", "uninstall", "3.99"}, env);
    CHECK(r.exit_code == 4);
}

TEST_CASE("a corrupted download a wrong sha256 and a hostile archive publish nothing") {
    auto archive = pbs_archive();
    if (!archive)
        return;
    Mirror mirror(*archive);
    test::OmniHome home;
    const std::map<std::string, std::optional<std::string>> env = {
        {"OMNI_PYTHON_CATALOGUE", mirror.catalogue.string()}};
    const auto nothing_left = [&] {
        CHECK(entries(home.root() / "interpreters") == 0);
        CHECK(entries(home.root() / "staging") == 0);
    };
    {
        test::FixtureServer server(mirror.root, {"--corrupt", "*.tar.gz=-1"});
        mirror.write_catalogue(server.url("/").substr(0, server.url("/").size() - 1),
                               archive->sha256);
        const auto r = home.omni({"python", "install", "3.12"}, env);
        INFO(r.err);
        CHECK(r.exit_code == 10);
        CHECK(r.err.find("hash mismatch") != std::string::npos);
        nothing_left();
    }
    test::FixtureServer server(mirror.root);
    const auto base = server.url("/").substr(0, server.url("/").size() - 1);
    mirror.write_catalogue(base, std::string(64, '0'));
    auto r = home.omni({"python", "install", "3.12"}, env);
    INFO(r.err);
    CHECK(r.exit_code == 10);
    CHECK(r.err.find("expected sha256 " + std::string(64, '0')) != std::string::npos);
    nothing_left();

    // A checksum that matches proves nothing about the members.
    const auto evil = mirror.root / tag / archive->filename;
    stdfs::remove(evil);
    ProcessOptions make;
    make.argv = {test::fixture_python().string(), "-c",
                 "import io, sys, tarfile\n"
                 "with tarfile.open(sys.argv[1], 'w:gz') as t:\n"
                 "    for name, data in (('python/bin/python3', b'#!/bin/sh\\n'),"
                 " ('python/../../escaped', b'x')):\n"
                 "        info = tarfile.TarInfo(name); info.size = len(data)\n"
                 "        t.addfile(info, io.BytesIO(data))\n",
                 evil.string()};
    REQUIRE(run_process(make).ok());
    mirror.write_catalogue(base, sha256_file(evil));
    r = home.omni({"python", "install", "3.12"}, env);
    INFO(r.err);
    CHECK(r.exit_code == 10);
    CHECK(r.err.find("member 'python/../../escaped'") != std::string::npos);
    nothing_left();
    CHECK_FALSE(stdfs::exists(home.root() / "escaped"));
    CHECK_FALSE(stdfs::exists(home.root() / "staging" / "escaped"));

    // A safe archive whose interpreter is not what the catalogue says.
    stdfs::remove(evil);
    make.argv = {test::fixture_python().string(), "-c",
                 "import io, sys, tarfile\n"
                 "with tarfile.open(sys.argv[1], 'w:gz') as t:\n"
                 "    data = b'#!/bin/sh\\necho 3.0.0 cpython\\n'\n"
                 "    info = tarfile.TarInfo('python/bin/python3'); info.size = len(data)\n"
                 "    info.mode = 0o755\n"
                 "    t.addfile(info, io.BytesIO(data))\n",
                 evil.string()};
    REQUIRE(run_process(make).ok());
    mirror.write_catalogue(base, sha256_file(evil));
    r = home.omni({"python", "install", "3.12"}, env);
    INFO(r.err);
    CHECK(r.exit_code == 10);
    CHECK(r.err.find("says it is '3.0.0 cpython'") != std::string::npos);
    nothing_left();
}

TEST_CASE("two processes installing the same python give one install") {
    auto archive = pbs_archive();
    if (!archive)
        return;
    Mirror mirror(*archive);
    test::FixtureServer server(mirror.root);
    mirror.write_catalogue(server.url("/").substr(0, server.url("/").size() - 1), archive->sha256);
    test::OmniHome home;
    const std::map<std::string, std::optional<std::string>> env = {
        {"OMNI_PYTHON_CATALOGUE", mirror.catalogue.string()}};
    auto first = std::async(std::launch::async, [&] {
        return home.omni({"python", "install", "3.12"}, env);
    });
    auto second = std::async(std::launch::async, [&] {
        return home.omni({"python", "install", "3.12"}, env);
    });
    const auto a = first.get();
    const auto b = second.get();
    INFO(a.out << a.err << b.out << b.err);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    const auto installed = [](const ProcessResult& r) {
        return r.out.starts_with("installed ") ? 1 : 0;
    };
    CHECK(installed(a) + installed(b) == 1);
    CHECK(entries(home.root() / "interpreters") == 1);
    CHECK(entries(home.root() / "staging") == 0);
    CHECK(server.count(escaped(archive->filename)) == 1);
}

TEST_CASE("swap python installs a missing version only when allowed") {
    auto archive = pbs_archive();
    if (!archive)
        return;
    Mirror mirror(*archive);
    test::FixtureServer server(mirror.root);
    mirror.write_catalogue(server.url("/").substr(0, server.url("/").size() - 1), archive->sha256);
    test::OmniHome home;
    test::TempDir no_pyenv;  // so that 3.12 is missing
    const std::map<std::string, std::optional<std::string>> env = {
        {"OMNI_PYTHON_CATALOGUE", mirror.catalogue.string()},
        {"PYENV_ROOT", no_pyenv.path().string()},
        {"CI", "true"}};
    const auto root = home.root() / "interpreters" / mirror.install_name();

    auto r = home.omni({"swap", "python", "3.12"}, env);
    CHECK(r.exit_code == 4);
    CHECK(r.err.find("omni python install 3.12") != std::string::npos);
    CHECK_FALSE(stdfs::exists(root));

    r = home.omni({"swap", "python", "3.12", "--yes"}, env);
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK(r.out.find("installed cpython " + archive->version) != std::string::npos);
    CHECK(r.out.find("python is now cpython " + archive->version) != std::string::npos);
    auto base = home.run({home.bin().string(), "-c", "import sys; print(sys.base_prefix)"});
    REQUIRE(base.ok());
    CHECK(trimmed(base.out) == root.string());

    // Configured on, CI or not.
    REQUIRE(home.omni({"python", "uninstall", "3.12"}, env).ok());
    REQUIRE(home.omni({"config", "set", "python.auto-install", "true"}, env).ok());
    r = home.omni({"swap", "python", "3.12"}, env);
    INFO(r.err);
    REQUIRE(r.ok());
    CHECK(stdfs::exists(root / "bin" / "python3"));
}

TEST_CASE("update-catalogue reads a releases API and its SHA256SUMS") {
    auto archive = pbs_archive();
    if (!archive)
        return;
    Mirror mirror(*archive);
    test::FixtureServer server(mirror.root);
    const auto base = server.url("/").substr(0, server.url("/").size() - 1);
    fs::atomic_write(mirror.root / tag / "SHA256SUMS",
                     archive->sha256 + "  " + archive->filename + "\n" + std::string(64, 'b') +
                         "  cpython-3.12.1+" + tag +
                         "-x86_64-unknown-linux-gnu-pgo+lto-full.tar.zst\n");
    const nlohmann::json releases = nlohmann::json::array(
        {{{"tag_name", tag},
          {"assets",
           {{{"name", archive->filename},
             {"size", stdfs::file_size(archive->file)},
             {"browser_download_url", base + "/" + tag + "/" + escaped(archive->filename)}},
            {{"name", "cpython-3.12.1+" + tag + "-x86_64-apple-darwin-install_only.tar.gz"},
             {"browser_download_url", base + "/nope"}},
            {{"name", "SHA256SUMS"},
             {"browser_download_url", base + "/" + tag + "/SHA256SUMS"}}}}}});
    fs::atomic_write(mirror.root / "releases.json", releases.dump());
    test::OmniHome home;
    auto r = home.omni({"python", "update-catalogue", "--url", base + "/releases.json"});
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK(r.out.find("wrote 1 downloads from 1 releases") != std::string::npos);
    r = home.omni({"python", "catalogue", "--json"});
    REQUIRE(r.ok());
    const auto listed = nlohmann::json::parse(r.out);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["version"] == archive->version);

    r = home.omni({"python", "install", "3.12"});
    INFO(r.err);
    REQUIRE(r.ok());
    CHECK(stdfs::exists(home.root() / "interpreters" / mirror.install_name() / "bin/python3"));

    // A bad answer keeps the catalogue there is.
    const auto before = fs::read_file(home.root() / "python-downloads.json");
    r = home.omni({"python", "update-catalogue", "--url", base + "/" + tag + "/SHA256SUMS"});
    CHECK_FALSE(r.ok());
    CHECK(fs::read_file(home.root() / "python-downloads.json") == before);
}

TEST_CASE("python install without a request reads .python-version, list --available") {
    auto archive = pbs_archive();
    if (!archive)
        return;
    Mirror mirror(*archive);
    test::FixtureServer server(mirror.root);
    const auto base = server.url("/").substr(0, server.url("/").size() - 1);
    mirror.write_catalogue(base, archive->sha256, {scripted_entry(mirror, base, "3.99.0rc1")});
    test::OmniHome home;
    const std::map<std::string, std::optional<std::string>> env = {
        {"OMNI_PYTHON_CATALOGUE", mirror.catalogue.string()}};
    const auto root = home.root() / "interpreters" / mirror.install_name();

    // No version file here or above: a clear error, nothing fetched.
    test::TempDir bare;
    auto r = home.omni({"python", "install"}, env, bare.path());
    CHECK(r.exit_code == 4);
    CHECK(r.err.find("no .python-version in " + bare.path().string()) != std::string::npos);
    CHECK(r.err.find("omni python install 3.12") != std::string::npos);

    // A path in the version file is refused, never run.
    test::TempDir evil;
    const auto marker = evil / "ran";
    fs::atomic_write(evil / "evilpython", "#!/bin/sh\ntouch " + marker.string() + "\n");
    stdfs::permissions(evil / "evilpython", stdfs::perms::owner_all);
    for (const auto& value :
         std::vector<std::string>{"./evilpython", (evil / "evilpython").string(), "/bin/sh"}) {
        INFO(value);
        fs::atomic_write(evil / ".python-version", "# pinned\n" + value + "\n");
        r = home.omni({"python", "install"}, env, evil.path());
        CHECK(r.exit_code == 3);
        CHECK(r.err.find((evil / ".python-version").string() + "' line 2") != std::string::npos);
        CHECK(r.err.find("names a path") != std::string::npos);
        CHECK_FALSE(stdfs::exists(marker));
    }
    fs::atomic_write(evil / ".python-version", "evilpython\n");
    r = home.omni({"python", "install"}, env, evil.path());
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("line 1") != std::string::npos);
    CHECK_FALSE(stdfs::exists(marker));
    CHECK(entries(home.root() / "interpreters") == 0);
    CHECK(server.count(escaped(archive->filename)) == 0);

    // The nearest file in the parents names the version.
    test::TempDir project;
    fs::atomic_write(project / ".python-version", "3.12\n");
    stdfs::create_directories(project / "src" / "pkg");
    r = home.omni({"python", "install"}, env, project / "src" / "pkg");
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK(r.err.find("3.12 from '" + (project / ".python-version").string() + "' line 1") !=
          std::string::npos);
    CHECK(r.out.find("installed cpython " + archive->version) != std::string::npos);
    CHECK(r.out.find("pre-release") == std::string::npos);
    // The catalogue has no size: the progress total is the Content-Length.
    CHECK(std::regex_search(
        r.err, std::regex("downloading " + mirror.install_name() + R"( \([0-9.]+ [KM]iB\))")));
    CHECK(stdfs::exists(root / "bin" / "python3"));
    CHECK(server.count(escaped(archive->filename)) == 1);

    // Newest first: the pre-release on top and marked, the install marked.
    r = home.omni({"python", "list", "--available"}, env);
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    const auto pre_at = r.out.find("3.99.0rc1");
    const auto final_at = r.out.find(archive->version + " ");
    REQUIRE(pre_at != std::string::npos);
    REQUIRE(final_at != std::string::npos);
    CHECK(pre_at < final_at);
    const auto line_of = [&](std::size_t at) {
        const auto start = r.out.rfind('\n', at) + 1;
        return r.out.substr(start, r.out.find('\n', at) - start);
    };
    CHECK(line_of(pre_at).find("pre-release") != std::string::npos);
    CHECK(line_of(pre_at).find("installed") == std::string::npos);
    CHECK(line_of(final_at).find("installed") != std::string::npos);
    CHECK(line_of(final_at).find("pre-release") == std::string::npos);
    r = home.omni({"python", "list", "--available", "--json"}, env);
    REQUIRE(r.ok());
    const auto listed = nlohmann::json::parse(r.out);
    REQUIRE(listed.size() == 2);
    CHECK(listed[0]["version"] == "3.99.0rc1");
    CHECK(listed[0]["prerelease"] == true);
    CHECK(listed[0]["installed"] == false);
    CHECK(listed[1]["version"] == archive->version);
    CHECK(listed[1]["installed"] == true);

    // A minor with only a pre-release is refused, naming it; by name it installs.
    fs::atomic_write(project / ".python-version", "3.99\n");
    r = home.omni({"python", "install"}, env, project.path());
    CHECK(r.exit_code == 4);
    CHECK(r.err.find("3.99.0rc1 is a pre-release") != std::string::npos);
    CHECK(r.err.find("omni python install 3.99.0rc1") != std::string::npos);
    CHECK(entries(home.root() / "interpreters") == 1);
    r = home.omni({"python", "install", "3.99.0rc1"}, env);
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK(r.out.find("installed cpython 3.99.0rc1 (pre-release,") != std::string::npos);
    CHECK(entries(home.root() / "staging") == 0);
}
