#include <catch2/catch.hpp>

#include "omni/run/analysis.hpp"

using namespace omni::run;

namespace {

FailureContext failure(const std::string& exception_line, const std::string& source_line = "x",
                       const std::string& script = "") {
    FailureContext c;
    std::string text =
        "Traceback (most recent call last):\n  File \"/s/app.py\", line " +
        std::to_string(script.empty() ? 1 : std::count(script.begin(), script.end(), '\n')) +
        ", in <module>\n    " + source_line + "\n" + exception_line + "\n";
    c.traceback = parse_traceback(text);
    c.stderr_tail = text;
    c.script_source = script;
    c.script_path = script.empty() ? "" : "/s/app.py";
    return c;
}

std::string requirement_of(const std::optional<Finding>& f) {
    return f ? f->requirement : "(none)";
}

}  // namespace

TEST_CASE("version assertion: __version__ compared with a literal") {
    CHECK(requirement_of(analyze_version_assertion(failure(
              "AssertionError", "assert rich.__version__ == \"13.4.2\""))) == "rich==13.4.2");
    CHECK(requirement_of(analyze_version_assertion(
              failure("AssertionError", "assert yaml.__version__ >= '6.0'"))) == "PyYAML>=6.0");
    CHECK(requirement_of(analyze_version_assertion(failure(
              "AssertionError", "assert '1.2' == demo_lib.sub.__version__"))) == "demo_lib==1.2");
}

TEST_CASE("version assertion: importlib.metadata.version and pkg_resources") {
    CHECK(requirement_of(analyze_version_assertion(failure(
              "AssertionError", "assert importlib.metadata.version(\"rich\") == \"13.4.2\""))) ==
          "rich==13.4.2");
    CHECK(requirement_of(analyze_version_assertion(failure(
              "AssertionError", "assert pkg_resources.get_distribution('click').version < '8'"))) ==
          "click<8");
}

TEST_CASE("version assertion: an if line inverts the operator") {
    const std::string script =
        "import rich\nif rich.__version__ != \"13.4.2\":\n    raise RuntimeError(\"wrong rich\")\n";
    const auto f = analyze_version_assertion(
        failure("RuntimeError: wrong rich", "raise RuntimeError(\"wrong rich\")", script));
    CHECK(requirement_of(f) == "rich==13.4.2");
    CHECK(f->evidence == "if rich.__version__ != \"13.4.2\":");
}

TEST_CASE("version assertion: Expected X got Y next to a __version__ read") {
    const std::string script =
        "import rich\nv = rich.__version__\nassert v == WANT, f\"Expected {WANT}, got {v}\"\n";
    CHECK(requirement_of(analyze_version_assertion(failure(
              "AssertionError: Expected 13.4.2, got 13.7.1", "x", script))) == "rich==13.4.2");
}

TEST_CASE("version assertion: an unrelated assertion is not a finding") {
    CHECK_FALSE(analyze_version_assertion(failure("AssertionError", "assert 1 + 1 == 3")));
    CHECK_FALSE(analyze_version_assertion(failure("ValueError: bad", "int('x')")));
}

TEST_CASE("missing module: import names map to distributions") {
    auto f = analyze_missing_module(failure("ModuleNotFoundError: No module named 'yaml'"));
    REQUIRE(f);
    CHECK(f->requirement == "PyYAML");
    CHECK(f->module == "yaml");
    CHECK(requirement_of(analyze_missing_module(failure(
              "ModuleNotFoundError: No module named 'sklearn.linear_model'"))) == "scikit-learn");
    CHECK(requirement_of(analyze_missing_module(failure("ImportError: No module named bs4"))) ==
          "beautifulsoup4");
    CHECK(requirement_of(analyze_missing_module(
              failure("ModuleNotFoundError: No module named 'rich'"))) == "rich");
    CHECK_FALSE(
        analyze_missing_module(failure("ImportError: cannot import name 'x' from 'y' (/p)")));
}

TEST_CASE("missing distribution: pkg_resources and importlib.metadata") {
    CHECK(requirement_of(analyze_missing_distribution(
              failure("pkg_resources.DistributionNotFound: The 'rich==13.4.2' distribution was not "
                      "found and is "
                      "required by the application"))) == "rich==13.4.2");
    CHECK(requirement_of(analyze_missing_distribution(
              failure("pkg_resources.VersionConflict: (rich 13.7.1 (/env/lib/site-packages), "
                      "Requirement.parse('rich==13.4.2'))"))) == "rich==13.4.2");
    CHECK(
        requirement_of(analyze_missing_distribution(failure(
            "importlib.metadata.PackageNotFoundError: No package metadata was found for attrs"))) ==
        "attrs");
    CHECK(requirement_of(analyze_missing_distribution(
              failure("importlib.metadata.PackageNotFoundError: attrs"))) == "attrs");
}

TEST_CASE("binary incompatible: NumPy 1.x extension under NumPy 2") {
    auto c = failure("ImportError: numpy.core.multiarray failed to import");
    c.stderr_tail =
        "A module that was compiled using NumPy 1.x cannot be run in\nNumPy 2.0.0 as it may "
        "crash.\n" +
        c.stderr_tail;
    const auto f = analyze_binary_incompatible(c);
    REQUIRE(f);
    CHECK(f->requirement == "numpy<2");
    CHECK(f->evidence == "A module that was compiled using NumPy 1.x cannot be run in");
}

TEST_CASE("missing name: cannot import name and no attribute") {
    auto f = analyze_missing_name(failure(
        "ImportError: cannot import name 'Console' from 'rich.console' (/env/rich/console.py)"));
    REQUIRE(f);
    CHECK(f->module == "rich");
    CHECK(f->name == "Console");
    CHECK(f->requirement == "rich");
    f = analyze_missing_name(
        failure("ImportError: cannot import name 'Image'", "from PIL import Image"));
    REQUIRE(f);
    CHECK(f->requirement == "Pillow");
    f =
        analyze_missing_name(failure("AttributeError: module 'yaml' has no attribute "
                                     "'CSafeLoader'. Did you mean: 'SafeLoader'?"));
    REQUIRE(f);
    CHECK(f->name == "CSafeLoader");
    CHECK(f->requirement == "PyYAML");
    CHECK_FALSE(
        analyze_missing_name(failure("AttributeError: module '__main__' has no attribute 'x'")));
}

TEST_CASE("broken install: a shared object that does not load") {
    const auto f = analyze_broken_install(
        failure("ImportError: "
                "/env/lib/python3.11/site-packages/lxml/etree.cpython-311-x86_64-linux-gnu.so: "
                "undefined symbol: xmlFoo"));
    REQUIRE(f);
    CHECK(f->module == "lxml");
    CHECK(f->requirement == "lxml");
    CHECK_FALSE(analyze_broken_install(failure("ImportError: No module named 'lxml'")));
}

TEST_CASE("python version: syntax and typing the interpreter lacks") {
    const auto f = [](const std::string& exception, const std::string& line) {
        const auto found = analyze_python_version(failure(exception, line));
        return found ? found->python : "(none)";
    };
    CHECK(f("SyntaxError: invalid syntax", "match command:") == ">=3.10");
    CHECK(f("SyntaxError: invalid syntax", "if (n := len(a)) > 10:") == ">=3.8");
    CHECK(f("SyntaxError: invalid syntax", "except* ValueError:") == ">=3.11");
    CHECK(f("SyntaxError: invalid syntax", "type Point = tuple[float, float]") == ">=3.12");
    CHECK(f("SyntaxError: Missing parentheses in call to 'print'", "print \"hello\"") == "<3");
    CHECK(f("TypeError: 'type' object is not subscriptable", "def f(a: list[int]): pass") ==
          ">=3.9");
    CHECK(f("TypeError: unsupported operand type(s) for |: 'type' and 'type'", "X = int | str") ==
          ">=3.10");
    CHECK(f("SyntaxError: invalid syntax", "x = = 1") == "(none)");
}

TEST_CASE("analyze runs every analyzer and drops duplicates") {
    const auto findings = analyze(failure("ModuleNotFoundError: No module named 'PIL'"));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].kind == FindingKind::missing_module);
    CHECK(findings[0].requirement == "Pillow");
    CHECK(analyze(failure("ZeroDivisionError: division by zero", "1/0")).empty());
}
