// The CLI's output layer on its own: widths, cutting and wrapping, units,
// and the matrix grid at a fixed width.
#include <catch2/catch.hpp>

#include <sstream>

#include "cli/matrix_grid.hpp"
#include "cli/text_width.hpp"
#include "cli/units.hpp"
#include "omni/util/ansi.hpp"

using namespace omni;
using namespace omni::cli;
using std::chrono::milliseconds;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

matrix::MatrixReport report(std::size_t pythons, bool lowest) {
    matrix::MatrixReport r;
    r.package = "demo";
    const std::vector<std::string> names{"3.9", "3.10", "3.11", "3.12", "3.13", "3.8"};
    for (std::size_t p = 0; p < pythons; ++p)
        for (const auto* v : {"2.0.1", "1.0"})
            for (const auto* res : {"highest", "lowest"}) {
                if (!lowest && std::string(res) == "lowest")
                    continue;
                const bool bad = std::string(v) == "1.0" && p == 0;
                r.results.push_back(
                    {{r.results.size(), names[p], v, res},
                     bad ? matrix::CellStatus::failed : matrix::CellStatus::passed,
                     bad ? 1 : 0,
                     milliseconds(1500),
                     "/logs/" + names[p] + "-" + v + ".log",
                     bad ? "Traceback\n  File x\n\x1b[31mValueError: bad\x1b[0m" : "",
                     {}});
            }
    return r;
}

}  // namespace

TEST_CASE("display_width counts columns, not bytes or escapes") {
    CHECK(display_width("plain") == 5);
    CHECK(display_width("\x1b[1;31merror:\x1b[0m") == 6);
    CHECK(display_width("\xe2\x9c\x93 ok") == 4);           // ✓ ok
    CHECK(display_width("\xe4\xb8\xad\xe6\x96\x87") == 4);  // two wide characters
}

TEST_CASE("fit_width cuts to the width with an ellipsis and closes colour") {
    CHECK(fit_width("short", 10) == "short");
    CHECK(fit_width("0123456789abc", 10) == "012345678\xe2\x80\xa6");
    CHECK(display_width(fit_width("0123456789abc", 10)) == 10);
    const auto cut = fit_width("\x1b[31m0123456789abc\x1b[0m", 6);
    CHECK(strip_ansi(cut) == "01234\xe2\x80\xa6");
    CHECK(cut.ends_with("\x1b[0m"));
    CHECK(display_width(fit_width("\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad", 4)) <= 4);
}

TEST_CASE("wrap_words breaks at spaces and keeps a long path whole") {
    CHECK(wrap_words("one two three", 0) == "one two three\n");
    CHECK(wrap_words("one two three", 7) == "one two\nthree\n");
    CHECK(wrap_words("logs in /a/very/long/path/that/does/not/fit", 10) ==
          "logs in\n/a/very/long/path/that/does/not/fit\n");
}

TEST_CASE("units read as a person reads them") {
    CHECK(format_bytes(812) == "812 B");
    CHECK(format_bytes(3 * 1024 * 1024 + 400 * 1024) == "3.4 MiB");
    CHECK(format_bytes(250 * 1024) == "250 KiB");
    CHECK(format_rate(1.5 * 1024 * 1024) == "1.5 MiB/s");
    CHECK(format_duration(milliseconds(420)) == "0.4s");
    CHECK(format_duration(milliseconds(12400)) == "12s");
    CHECK(format_duration(milliseconds(125000)) == "2m05s");
}

TEST_CASE("the grid: versions as rows, interpreters as columns, failures below") {
    const auto text = render_grid(report(2, false), {0, Style(false)});
    const auto lines = lines_of(text);
    REQUIRE(lines.size() >= 4);
    CHECK(lines[0] == "version  3.9     3.10");
    CHECK(lines[1] == "2.0.1    \xe2\x9c\x93 1.5s  \xe2\x9c\x93 1.5s");
    CHECK(lines[2] == "1.0      \xe2\x9c\x97 1.5s  \xe2\x9c\x93 1.5s");
    CHECK_THAT(text, Catch::Contains("\xe2\x9c\x97 1.0 on 3.9\n"
                                     "  Traceback File x ValueError: bad\n"
                                     "  /logs/3.9-1.0.log\n"));
    CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("the grid: cells that failed alike are one entry") {
    auto r = report(3, false);
    for (auto& cell : r.results)
        if (cell.cell.version == "1.0") {
            cell.status = matrix::CellStatus::failed;
            cell.detail = "AttributeError: no just_fix_windows_console";
        }
    r.results[1].detail = "AttributeError: no just_fix_windows_console\n";  // same, one line
    const auto text = render_grid(r, {0, Style(false)});
    CHECK_THAT(text, Catch::Contains("\xe2\x9c\x97 1.0 on 3.9, 3.10, 3.11\n"
                                     "  AttributeError: no just_fix_windows_console\n"
                                     "  /logs/3.9-1.0.log\n"));
    CHECK(text.find("on 3.10\n") == std::string::npos);
}

TEST_CASE("the grid fits its width: times go, then columns split into blocks") {
    for (std::size_t width : {30u, 40u, 60u, 120u}) {
        const auto text = render_grid(report(6, true), {width, Style(true)});
        std::size_t blocks = 0;
        for (const auto& line : lines_of(text)) {
            if (line.starts_with("\x1b[1mversion"))
                ++blocks;
            const bool path_only = strip_ansi(line).starts_with("  /");
            INFO(width << ": " << line);
            CHECK((display_width(line) <= width || path_only));
        }
        CHECK(blocks >= 1);
        if (width <= 60)
            CHECK(blocks > 1);
    }
}

TEST_CASE("the grid marks the cells either side of a bisection's boundary") {
    const auto r = report(1, false);  // 3.9: 2.0.1 passed, 1.0 failed
    const auto text = render_grid(r, {0, Style(false), {0, 1}});
    const auto lines = lines_of(text);
    REQUIRE(lines.size() > 2);
    CHECK(lines[1] == "2.0.1    \xe2\x9c\x93 1.5s \xe2\x97\x80");
    CHECK(lines[2] == "1.0      \xe2\x9c\x97 1.5s \xe2\x97\x80");
    CHECK_THAT(text, Catch::Contains("\xe2\x97\x80 the result changes here"));
}
