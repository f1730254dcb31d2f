// A hostile index on 127.0.0.1: one scenario per way a page can try to turn
// its data into paths (hashes, file names, percent-encoded separators,
// another project's files). Each is refused, nothing outside $OMNI_HOME is
// written or deleted (a sentinel directory beside the home proves it), and an
// honest install from the same home works afterwards.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <map>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "integration/index/fixture_server.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;
using nlohmann::json;

namespace {

const char* spec = R"({"packages": [
  {"name": "hx-alpha", "version": "1.0", "requires": ["hx-beta>=1"]},
  {"name": "hx-alpha", "version": "2.0", "requires": ["hx-beta>=1"]},
  {"name": "hx-beta", "version": "1.0"},
  {"name": "hx-gamma", "version": "3.0"}]})";

// Every path under `dir` (but not inside `skip`) with its contents.
std::map<std::string, std::string> snapshot(const stdfs::path& dir,
                                            const std::vector<stdfs::path>& skip) {
    std::map<std::string, std::string> out;
    for (auto it = stdfs::recursive_directory_iterator(dir);
         it != stdfs::recursive_directory_iterator(); ++it) {
        if (std::find(skip.begin(), skip.end(), it->path()) != skip.end()) {
            it.disable_recursion_pending();
            continue;
        }
        out[it->path().string()] = it->is_regular_file() ? fs::read_file(it->path()) : "<dir>";
    }
    return out;
}

struct HostileIndex {
    test::OmniHome omni;
    test::TempDir served;
    stdfs::path root = served / "index";
    stdfs::path sentinel = omni.root().parent_path() / "sentinel";
    stdfs::path control = served / "control.json";
    std::optional<test::FixtureServer> server;
    json alpha;  // the honest JSON page of hx-alpha
    std::string alpha_html;
    std::map<std::string, std::string> before;
    bool ready = false;

    HostileIndex() {
        if (!test::pyenv_python("3.11") || test::fixture_python().empty())
            return;
        test::make_index(root, {"--spec-json", spec});
        fs::atomic_write(control, "{}");
        server.emplace(root, std::vector<std::string>{"--control", control.string()});
        alpha = json::parse(fs::read_file(page("json")));
        alpha_html = fs::read_file(page("html"));
        // What a traversal would hit: a directory the old cache code would
        // have found "damaged" and removed, and a file next to the home.
        test::write_text(sentinel / "victim" / "precious.txt", "precious");
        test::write_text(sentinel / "keep.txt", "keep");
        before = outside();
        REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
        ready = true;
    }
    stdfs::path page(const std::string& kind) const {
        return root / "simple" / "hx-alpha" / ("index." + kind);
    }
    std::map<std::string, std::string> outside() const {
        return snapshot(omni.root().parent_path(), {omni.root(), omni.scratch()});
    }
    const json& honest(const std::string& version) const {
        for (const auto& f : alpha["files"])
            if (f["filename"].get<std::string>().find("-" + version + "-") != std::string::npos)
                return f;
        throw std::runtime_error("no hx-alpha " + version);
    }
    std::string absolute(const json& file) const {
        // make_index writes links relative to the page.
        return server->url("/simple/hx-alpha/") + file["url"].get<std::string>();
    }
    // Serves a JSON page of the honest 1.0 plus `extra` (no HTML page).
    void serve_json(const json& extra) const {
        json doc = alpha;
        doc["files"] = json::array({honest("1.0"), extra});
        stdfs::remove(page("html"));
        fs::atomic_write(page("json"), doc.dump());
    }
    // Serves an HTML page of the honest 1.0 plus one more anchor `href`.
    void serve_html(const std::string& href, const std::string& text) const {
        const auto& one = honest("1.0");
        const auto html = fmt::format(
            "<!DOCTYPE html><html><body>\n<a href=\"{}#sha256={}\">{}</a>\n"
            "<a href=\"{}\">{}</a>\n</body></html>\n",
            absolute(one), one["hashes"]["sha256"].get<std::string>(),
            one["filename"].get<std::string>(), href, text);
        stdfs::remove(page("json"));
        fs::atomic_write(page("html"), html);
    }
    void faults(const json& settings) const {
        fs::atomic_write(control, settings.dump());
        ::usleep(20'000);  // a new mtime for the server to notice
    }
    void serve_honest() const {
        faults(json::object());
        fs::atomic_write(page("json"), alpha.dump());
        fs::atomic_write(page("html"), alpha_html);
    }
    ProcessResult omni_index(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--index-url", server->url("/simple/")});
        return omni.omni(args);
    }
    // The hostile 2.0 entry is skipped with a warning naming the page; 1.0 is
    // what resolves, and nothing outside the home changed.
    void expect_skipped(const std::string& reason) const {
        const auto r = omni_index({"install", "--dry-run", "hx-alpha"});
        INFO(r.out << r.err);
        CHECK(r.ok());
        CHECK_THAT(r.out, Catch::Contains("hx-alpha 1.0 "));
        CHECK_THAT(r.out, !Catch::Contains("hx-alpha 2.0"));
        CHECK_THAT(r.err, Catch::Contains("skipping '") &&
                              Catch::Contains("listed on " + server->url("/simple/hx-alpha/")) &&
                              Catch::Contains(reason));
        CHECK(outside() == before);
    }
    void expect_honest_install() const {
        serve_honest();
        const auto r = omni_index({"install", "hx-alpha"});
        INFO(r.out << r.err);
        REQUIRE(r.ok());
        const auto py = omni.run({(omni.root() / "envs/cpython-3.11/bin/python").string(), "-c",
                                  "import hx_alpha, hx_beta; print(hx_alpha.__version__)"});
        CHECK(py.out == "2.0\n");
        CHECK(outside() == before);
    }
};

const std::string traversal = "../../../sentinel/victim";

}  // namespace

TEST_CASE("hostile index: hashes that are paths are refused (HTML and JSON)") {
    HostileIndex h;
    if (!h.ready)
        return;
    const auto& two = h.honest("2.0");
    h.serve_html(h.absolute(two) + "#sha256=" + traversal, two["filename"].get<std::string>());
    h.expect_skipped("sha256 value is not 64 hex digits");
    json bad = two;
    bad["hashes"]["sha256"] = traversal;
    h.serve_json(bad);
    h.expect_skipped("sha256 value is not 64 hex digits");
    bad = two;
    bad["core-metadata"] = {{"sha256", traversal}};
    h.serve_json(bad);
    h.expect_skipped("metadata hash sha256 value");
    h.expect_honest_install();
}

TEST_CASE("hostile index: file names with separators, dot-dot or %2F are refused") {
    HostileIndex h;
    if (!h.ready)
        return;
    const auto& two = h.honest("2.0");
    const auto name = two["filename"].get<std::string>();
    json bad = two;
    bad["filename"] = "../../../sentinel/" + name;
    h.serve_json(bad);
    h.expect_skipped("path separator");
    bad["filename"] = "..%2F..%2F..%2Fsentinel%2F" + name;
    h.serve_json(bad);
    h.expect_skipped("'%'");
    h.serve_html(h.server->url("/files/..%2F..%2F..%2Fsentinel%2F") + name +
                     "#sha256=" + two["hashes"]["sha256"].get<std::string>(),
                 name);
    h.expect_skipped("path separator");
    h.expect_honest_install();
}

TEST_CASE("hostile index: a page listing another project's wheel does not install it") {
    HostileIndex h;
    if (!h.ready)
        return;
    const auto gamma = json::parse(fs::read_file(h.root / "simple/hx-gamma/index.json"));
    json other = gamma["files"][0];
    other["url"] = h.server->url("/simple/hx-gamma/") + other["url"].get<std::string>();
    h.serve_json(other);
    h.expect_skipped("is a wheel of 'hx-gamma', not of 'hx-alpha'");
    // Only the other project's file: nothing to install, and it says so.
    json doc = h.alpha;
    doc["files"] = json::array({other});
    fs::atomic_write(h.page("json"), doc.dump());
    const auto r = h.omni_index({"install", "hx-alpha"});
    CHECK_FALSE(r.ok());
    CHECK_THAT(r.err, Catch::Contains("hx-alpha"));
    CHECK_THAT(r.out, !Catch::Contains("hx-gamma"));
    CHECK(h.outside() == h.before);
    h.expect_honest_install();
}

TEST_CASE("hostile index: only http and https are followed, and file:// only from local pages") {
    HostileIndex h;
    if (!h.ready)
        return;
    const auto& two = h.honest("2.0");
    json bad = two;
    bad["url"] = "gopher://127.0.0.1:" + std::to_string(h.server->port()) + "/_hx_alpha.whl";
    h.serve_json(bad);
    h.expect_skipped("URL scheme 'gopher' is not allowed");
    bad["url"] = "dict://127.0.0.1:" + std::to_string(h.server->port()) + "/x";
    h.serve_json(bad);
    h.expect_skipped("URL scheme 'dict' is not allowed");
    bad["url"] = "file://" + (h.sentinel / "keep.txt").string();
    h.serve_json(bad);
    h.expect_skipped("may not point at local files");
    // Redirects to another scheme are refused: for a wheel and for a page.
    h.serve_honest();
    h.faults({{"redirect",
               {{"/files/" + two["filename"].get<std::string>(),
                 "file://" + (h.sentinel / "keep.txt").string()}}}});
    auto r = h.omni_index({"install", "hx-alpha"});
    CHECK_FALSE(r.ok());
    CHECK_THAT(r.err, Catch::Contains(two["filename"].get<std::string>()));
    h.faults({{"redirect", {{"/simple/hx-alpha/", "gopher://127.0.0.1:1/x"}}}});
    r = h.omni_index({"install", "--dry-run", "hx-alpha"});
    CHECK_FALSE(r.ok());
    CHECK_THAT(r.err, Catch::Contains("/simple/hx-alpha/"));
    CHECK(h.outside() == h.before);
    CHECK(std::filesystem::is_empty(h.omni.root() / "staging"));
    h.expect_honest_install();
}

TEST_CASE("hostile index: lying metadata never reaches another index, and the wheel refutes it") {
    HostileIndex h;
    if (!h.ready)
        return;
    // A second index with the same (deterministic) wheels, whose PEP 658
    // file for hx-alpha 2.0 adds a dependency the wheel does not have.
    test::TempDir other;
    const auto liar_root = other / "index";
    test::make_index(liar_root, {"--spec-json", spec, "--metadata-files"});
    const auto name = h.honest("2.0")["filename"].get<std::string>();
    const auto metadata = liar_root / "files" / (name + ".metadata");
    auto text = fs::read_file(metadata);
    text.insert(text.find("\n\n"), "\nRequires-Dist: hx-gamma>=3");
    fs::atomic_write(metadata, text);
    auto page = json::parse(fs::read_file(liar_root / "simple/hx-alpha/index.json"));
    for (auto& f : page["files"])
        if (f["filename"] == name) {
            CHECK(f["hashes"]["sha256"] == h.honest("2.0")["hashes"]["sha256"]);
            f["core-metadata"] = true;  // announced without a hash to check
            f.erase("dist-info-metadata");
        }
    fs::atomic_write(liar_root / "simple/hx-alpha/index.json", page.dump());
    stdfs::remove(liar_root / "simple/hx-alpha/index.html");
    test::FixtureServer liar(liar_root);
    const auto from_liar = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--index-url", liar.url("/simple/")});
        return h.omni.omni(args);
    };
    auto r = from_liar({"install", "--dry-run", "hx-alpha"});
    CHECK_THAT(r.out, Catch::Contains("hx-gamma 3.0"));  // the lie, believed for resolving
    // Installing it: the wheel's own METADATA disagrees; nothing is installed.
    r = from_liar({"install", "hx-alpha"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == exit_status(ErrorCode::integrity));
    CHECK_THAT(r.err, Catch::Contains("inconsistent wheel " + name) &&
                          Catch::Contains("Requires-Dist") && Catch::Contains("hx-gamma>=3") &&
                          Catch::Contains(liar.url("/files/" + name + ".metadata")));
    CHECK_FALSE(
        stdfs::exists(h.omni.root() / "envs/cpython-3.11/lib/python3.11/site-packages/hx_alpha"));
    // The honest index with the same wheel hash never sees the liar's answer.
    r = h.omni_index({"install", "--dry-run", "hx-alpha"});
    CHECK_THAT(r.out, Catch::Contains("hx-alpha 2.0 "));
    CHECK_THAT(r.out, !Catch::Contains("hx-gamma"));
    CHECK(h.outside() == h.before);
    h.expect_honest_install();
}

TEST_CASE("hostile index: a wheel whose METADATA names another version or project is refused") {
    HostileIndex h;
    if (!h.ready)
        return;
    const auto& two = h.honest("2.0");
    const auto name = two["filename"].get<std::string>();
    const auto wheel = h.root / "files" / name;
    REQUIRE(stdfs::exists(wheel));
    const auto original = fs::read_file(wheel);
    // Rewrites one METADATA field inside the wheel and its RECORD line, so
    // that every hash (the page's and RECORD's) is right and only the
    // metadata lies about what the file is.
    const auto lie = [&](const std::string& field, const std::string& value) {
        const auto r = h.omni.run({test::fixture_python().string(), "-c", R"(
import base64, hashlib, sys, zipfile
path, field, value = sys.argv[1:4]
with zipfile.ZipFile(path) as z:
    members = [(i, z.read(i)) for i in z.infolist()]
def b64(data):
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
out = []
meta_name = meta_hash = None
for info, data in members:
    if info.filename.endswith(".dist-info/METADATA"):
        lines = [(field + ": " + value) if l.startswith(field + ": ") else l
                 for l in data.decode().split("\n")]
        data = "\n".join(lines).encode()
        meta_name, meta_hash, meta_size = info.filename, b64(data), len(data)
    out.append((info, data))
fixed = []
for info, data in out:
    if info.filename.endswith(".dist-info/RECORD"):
        rows = [("%s,sha256=%s,%d" % (meta_name, meta_hash, meta_size)) if l.startswith(meta_name + ",") else l
                for l in data.decode().split("\n")]
        data = "\n".join(rows).encode()
    fixed.append((info, data))
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    for info, data in fixed:
        z.writestr(info, data)
print(hashlib.sha256(open(path, "rb").read()).hexdigest())
)",
                                   wheel.string(), field, value});
        REQUIRE(r.ok());
        auto entry = two;
        entry["hashes"]["sha256"] = r.out.substr(0, 64);
        auto doc = h.alpha;
        for (auto& f : doc["files"])
            if (f["filename"] == name)
                f = entry;
        stdfs::remove(h.page("html"));
        fs::atomic_write(h.page("json"), doc.dump());
    };
    const auto site = h.omni.root() / "envs/cpython-3.11/lib/python3.11/site-packages";
    for (const auto& [field, value, says] :
         {std::tuple{"Version", "2.5", "its METADATA says Version: 2.5, its file name says 2.0"},
          std::tuple{"Name", "hx-gamma", "its METADATA says Name: hx-gamma"}}) {
        INFO(field);
        fs::atomic_write(wheel, original);
        lie(field, value);
        const auto r = h.omni_index({"install", "hx-alpha==2.0"});
        INFO(r.out << r.err);
        CHECK(r.exit_code == exit_status(ErrorCode::integrity));
        CHECK_THAT(r.err, Catch::Contains("inconsistent wheel " + name) && Catch::Contains(says));
        CHECK_FALSE(stdfs::exists(site / "hx_alpha"));
        CHECK_FALSE(stdfs::exists(site / "hx_gamma"));
        CHECK(h.outside() == h.before);
    }
    fs::atomic_write(wheel, original);
    h.expect_honest_install();
}
