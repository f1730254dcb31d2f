// Real tracebacks from every CPython on this machine (their formats differ:
// carets, "Did you mean", where names come from) and what each analyzer
// reads out of them.
#include <catch2/catch.hpp>

#include "omni/run/analysis.hpp"
#include "omni/util/fs.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
using namespace omni::run;

namespace {

struct Case {
    const char* name;
    const char* script;
    FindingKind kind;
    const char* expected;  // requirement, or the python specifier for python_version
    int min_minor = 0;     // Python 3 minors this case applies to ([min, max]); 2.7 counts as 3.-1
    int max_minor = 99;
};

const Case cases[] = {
    {"missing module", "import omni_corpus_missing.sub\n", FindingKind::missing_module,
     "omni_corpus_missing"},
    {"version assertion", "import demo_lib\nassert demo_lib.__version__ == \"1.0\"\n",
     FindingKind::version_pin, "demo_lib==1.0"},
    {"version check by if",
     "import demo_lib\nif demo_lib.__version__ != '1.0':\n    raise RuntimeError('wrong')\n",
     FindingKind::version_pin, "demo_lib==1.0"},
    {"cannot import name", "from demo_lib import missing_thing\n", FindingKind::missing_name,
     "demo_lib"},
    {"no attribute", "import demo_lib\ndemo_lib.missing_thing()\n", FindingKind::missing_name,
     "demo_lib"},
    {"match statement", "command = 1\nmatch command:\n    case 1:\n        pass\n",
     FindingKind::python_version, ">=3.10", -1, 9},
    {"walrus", "if (n := 3) > 2:\n    pass\n", FindingKind::python_version, ">=3.8", 0, 7},
    {"subscripted builtin", "def f(a: list[int]):\n    pass\n", FindingKind::python_version,
     ">=3.9", 0, 8},
    {"metadata lookup",
     "import importlib.metadata\nimportlib.metadata.version('omni-corpus-missing')\n",
     FindingKind::missing_distribution, "omni-corpus-missing", 8},
};

}  // namespace

TEST_CASE("traceback corpus: each analyzer on real tracebacks of CPython 2.7 and 3.6-3.13") {
    int interpreters = 0;
    for (const std::string version :
         {"2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"}) {
        const auto python = test::pyenv_python(version);
        if (!python)
            continue;
        ++interpreters;
        const int minor = version == "2.7" ? -1 : std::stoi(version.substr(2));
        test::TempDir dir;
        test::write_text(dir / "demo_lib" / "__init__.py", "__version__ = '2.0'\n");
        for (const auto& c : cases) {
            if (minor < c.min_minor || minor > c.max_minor)
                continue;
            if (minor < 0 && c.kind == FindingKind::missing_name &&
                std::string(c.name) == "no attribute")
                continue;  // Python 2 words it differently: not an import problem to heal
            const auto script = dir / "app.py";
            test::write_text(script, c.script);
            ProcessOptions options;
            options.argv = {python->string(), "-E", "-s", script.string()};
            options.cwd = dir.path();
            const auto r = run_process(options);
            INFO("Python " << version << ", case '" << c.name << "'\n" << r.err);
            REQUIRE_FALSE(r.ok());
            FailureContext context{parse_traceback(r.err), r.err, c.script, script.string()};
            const auto findings = analyze(context);
            REQUIRE_FALSE(findings.empty());
            CHECK(findings[0].kind == c.kind);
            const std::string got = c.kind == FindingKind::python_version ? findings[0].python
                                                                          : findings[0].requirement;
            CHECK(got == c.expected);
        }
    }
    CHECK(interpreters > 0);
}
