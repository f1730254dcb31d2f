// Healing reads the code: every script of tests/fixtures/heal_corpus is run
// on a real interpreter against stub distributions (a module and its
// .dist-info) at the versions its "# installed:" lines give; the traceback it
// really prints and its source must lead the analyzers to the requirement
// its "# expect:" line names.
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "omni/run/analysis.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

const char* packaging_stub =
    "class Version(object):\n"
    "    def __init__(self, text):\n"
    "        self.text = str(text)\n"
    "        self.key = tuple(int(p) for p in self.text.split('.') if p.isdigit())\n"
    "    def __lt__(self, other):\n"
    "        return self.key < other.key\n"
    "    def __le__(self, other):\n"
    "        return self.key <= other.key\n"
    "    def __gt__(self, other):\n"
    "        return self.key > other.key\n"
    "    def __ge__(self, other):\n"
    "        return self.key >= other.key\n"
    "    def __str__(self):\n"
    "        return self.text\n"
    "parse = Version\n";

// "# installed: rich=rich 13.7.1 nodunder" -> a module and its dist-info.
void install_stub(const stdfs::path& site, const std::string& spec) {
    static const std::regex line(R"(^(\w+)=([\w.-]+) (\S+)( nodunder)?$)");
    std::smatch m;
    REQUIRE(std::regex_match(spec, m, line));
    const auto module = m[1].str(), dist = m[2].str(), version = m[3].str();
    stdfs::create_directories(site / module);
    fs::atomic_write(site / module / "__init__.py",
                     m[4].matched ? "" : "__version__ = '" + version + "'\n");
    if (module == "rich") {
        stdfs::create_directories(site / "rich");
        fs::atomic_write(site / "rich" / "console.py",
                         "class Console(object):\n    def print(self, text):\n        "
                         "print(text)\n");
    }
    auto dist_dir = dist;
    for (auto& c : dist_dir)
        if (c == '-')
            c = '_';
    const auto info = site / (dist_dir + "-" + version + ".dist-info");
    stdfs::create_directories(info);
    fs::atomic_write(info / "METADATA",
                     "Metadata-Version: 2.1\nName: " + dist + "\nVersion: " + version + "\n\n");
    fs::atomic_write(info / "top_level.txt", module + "\n");
}

}  // namespace

TEST_CASE("healing corpus: the requirement each real-shaped script asks for") {
    const auto python = test::pyenv_python("3.11");
    if (!python)
        return;
    std::vector<stdfs::path> scripts;
    for (const auto& entry : stdfs::directory_iterator(OMNI_FIXTURES_DIR "/heal_corpus"))
        if (entry.path().extension() == ".py")
            scripts.push_back(entry.path());
    std::sort(scripts.begin(), scripts.end());
    REQUIRE(scripts.size() >= 21);
    int healed = 0;
    for (const auto& script : scripts) {
        test::TempDir dir;
        const auto site = dir.path() / "site";
        stdfs::create_directories(site / "packaging");
        fs::atomic_write(site / "packaging" / "__init__.py", "");
        fs::atomic_write(site / "packaging" / "version.py", packaging_stub);
        const auto source = fs::read_file(script);
        std::string expected;
        std::istringstream in(source);
        for (std::string line; std::getline(in, line);) {
            if (line.starts_with("# expect: "))
                expected = line.substr(10);
            else if (line.starts_with("# installed: "))
                install_stub(site, line.substr(13));
        }
        ProcessOptions run;
        run.argv = {python->string(), script.string()};
        run.env["PYTHONPATH"] = site.string();
        run.env["PYTHONWARNINGS"] = "ignore";
        const auto r = run_process(run);
        INFO(script.filename().string() << "\n" << r.out << r.err);
        REQUIRE_FALSE(r.ok());
        run::FailureContext context;
        context.traceback = run::parse_traceback(r.err);
        context.stderr_tail = r.err;
        context.script_source = source;
        context.script_path = script.string();
        const auto findings = run::analyze(context);
        REQUIRE_FALSE(findings.empty());
        CHECK(findings.front().kind == run::FindingKind::version_pin);
        CHECK(findings.front().requirement == expected);
        if (findings.front().requirement == expected)
            ++healed;
    }
    CHECK(healed == static_cast<int>(scripts.size()));
}
