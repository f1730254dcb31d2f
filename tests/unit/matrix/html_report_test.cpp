#include <catch2/catch.hpp>
#include <map>

#include "omni/matrix/html_report.hpp"

using namespace omni::matrix;
using std::chrono::milliseconds;

namespace {

MatrixReport sample() {
    MatrixReport r;
    r.package = "colorama<b>";
    r.test = "python -c 'import colorama'";
    r.jobs = 2;
    r.results = {
        {{0, "3.11", "0.4.6", "highest"},
         CellStatus::passed,
         0,
         milliseconds(1200),
         "/l/a.log",
         "",
         {}},
        {{1, "3.11", "0.4.5", "highest"},
         CellStatus::failed,
         1,
         milliseconds(900),
         "/l/b.log",
         "\x1b[31mAssertionError\x1b[0m: <bad> & \"quoted\"",
         {}},
        {{2, "3.9", "0.4.6", "highest"},
         CellStatus::timed_out,
         -1,
         milliseconds(5000),
         "/l/c.log",
         "timed out",
         {}},
    };
    return r;
}

HtmlOptions logs_from(std::map<std::string, std::string> logs) {
    HtmlOptions options;
    options.read_log = [logs](const CellResult& r) -> std::optional<std::string> {
        const auto it = logs.find(r.log.string());
        if (it == logs.end())
            return std::nullopt;
        return it->second;
    };
    return options;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

}  // namespace

TEST_CASE("html_escape escapes markup and replaces what HTML forbids") {
    CHECK(html_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
    CHECK(html_escape("tab\tnew\nline") == "tab\tnew\nline");
    CHECK(html_escape("nul\x01"
                      "bell\x07") ==
          "nul\xef\xbf\xbd"
          "bell\xef\xbf\xbd");
    CHECK(html_escape("caf\xc3\xa9") == "caf\xc3\xa9");
    CHECK(html_escape("bad \xff\xfe utf8") == "bad \xef\xbf\xbd\xef\xbf\xbd utf8");
    CHECK(html_escape("overlong \xc0\xaf") == "overlong \xef\xbf\xbd\xef\xbf\xbd");
    CHECK(html_escape("c1 \xc2\x85 nonchar \xef\xbf\xbe") ==
          "c1 \xef\xbf\xbd nonchar \xef\xbf\xbd");
    CHECK(html_escape("50%\r100%\r\n") == "50%\n100%\n");
}

TEST_CASE("to_html: every cell in the grid and in its own section, logs collapsed") {
    const auto html = to_html(sample(), logs_from({{"/l/a.log", "imported fine\n"},
                                                   {"/l/b.log", "Traceback\nAssertionError\n"}}));
    CHECK(html.starts_with("<!DOCTYPE html>"));
    for (const auto* id : {"cell-0", "cell-1", "cell-2"}) {
        CHECK(occurrences(html, std::string("href=\"#") + id + "\"") == 1);
        CHECK(occurrences(html, std::string("id=\"") + id + "\"") == 1);
    }
    CHECK_THAT(html,
               Catch::Contains("<details><summary>log (14 bytes)</summary><pre>imported fine"));
    CHECK_THAT(html, Catch::Contains("the log is not on this machine"));  // /l/c.log
    // The cell 3.9 x 0.4.5 is not in the report: a dot, not a status.
    CHECK(occurrences(html, "class=\"absent\"") == 1);
    // Package names, details and logs are text, and escapes are gone.
    CHECK_THAT(html, Catch::Contains("colorama&lt;b&gt;"));
    CHECK_THAT(html, Catch::Contains("AssertionError: &lt;bad&gt; &amp; &quot;quoted&quot;"));
    CHECK(html.find('\x1b') == std::string::npos);
    // Self-contained: nothing is fetched.
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find(" src=") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
}

TEST_CASE("to_html: each cell's evidence: what it imported, and from where") {
    auto report = sample();
    report.results[0].evidence = {
        "colorama", "0.4.6", "/b/colorama/__init__.py", "importlib.metadata", 2, true, true};
    report.results[1].evidence = {
        "colorama", "0.4.4<x>", "/elsewhere/colorama/__init__.py", "dist-info", 1, false, false};
    const auto html = to_html(report, logs_from({}));
    CHECK_THAT(html, Catch::Contains("colorama 0.4.6</span> from <span "
                                     "class=\"mono\">/b/colorama/__init__.py</span> <span "
                                     "class=\"match\">"));
    CHECK_THAT(html, Catch::Contains("(2 processes, version read by importlib.metadata)"));
    CHECK_THAT(html, Catch::Contains("colorama 0.4.4&lt;x&gt;</span>"));
    CHECK_THAT(html, Catch::Contains("class=\"mismatch\">not the cell"));
}

TEST_CASE("to_html: a log that closes the script element stays text") {
    auto report = sample();
    report.results[0].detail = "</script><script>alert(1)</script>";
    const auto html = to_html(report, logs_from({{"/l/a.log",
                                                  "</script><script>alert(2)</script>"
                                                  "<img src=x onerror=alert(3)>"}}));
    CHECK(occurrences(html, "<script>") == 1);  // the page's own
    CHECK(occurrences(html, "</script>") == 1);
    CHECK(html.find("<img") == std::string::npos);
    CHECK_THAT(html, Catch::Contains("&lt;/script&gt;&lt;script&gt;alert(2)"));
}

TEST_CASE("to_html: a long log keeps its start and its end") {
    std::string log = "FIRST LINE\n" + std::string(100000, 'x') + "\nLAST LINE\n";
    HtmlOptions options = logs_from({{"/l/a.log", log}});
    options.log_limit = 1000;
    const auto html = to_html(sample(), options);
    CHECK_THAT(html, Catch::Contains("FIRST LINE"));
    CHECK_THAT(html, Catch::Contains("LAST LINE"));
    CHECK_THAT(html, Catch::Contains("bytes left out here"));
    CHECK(html.size() < 20000);
}

TEST_CASE("to_html: two resolutions are two columns per interpreter") {
    auto report = sample();
    report.results.push_back(
        {{3, "3.11", "0.4.6", "lowest"}, CellStatus::passed, 0, milliseconds(700), "", "", {}});
    const auto html = to_html(report, logs_from({}));
    CHECK_THAT(html, Catch::Contains("<th>3.11<br><span class=\"muted\">lowest</span></th>"));
    CHECK_THAT(html, Catch::Contains("<th>3.11<br><span class=\"muted\">highest</span></th>"));
}

TEST_CASE("to_html: the cells either side of a bisection's boundary are marked") {
    auto options = logs_from({});
    CHECK(to_html(sample(), options).find(" boundary\"") == std::string::npos);
    options.boundary = {0, 1};
    const auto html = to_html(sample(), options);
    CHECK(occurrences(html, " boundary\"") == 2);
    CHECK_THAT(html, Catch::Contains("class=\"passed boundary\""));
    CHECK_THAT(html, Catch::Contains("class=\"failed boundary\""));
    CHECK_THAT(html, Catch::Contains("the result changes between these versions"));
}
