#include <catch2/catch.hpp>

#include "omni/util/ansi.hpp"

using omni::strip_ansi;

TEST_CASE("strip_ansi drops colours and cursor moves, keeps the text") {
    CHECK(strip_ansi("plain text\n") == "plain text\n");
    CHECK(strip_ansi("\x1b[31mred\x1b[0m and \x1b[1;32mbold green\x1b[m") == "red and bold green");
    // 3.13's coloured traceback, as FORCE_COLOR makes it.
    CHECK(strip_ansi("\x1b[1;35mValueError\x1b[0m: \x1b[35mbad\x1b[0m") == "ValueError: bad");
    CHECK(strip_ansi("50%\x1b[2K\r\x1b[1A\x1b[?25l100%\x1b[?25h") == "50%\r100%");
    CHECK(strip_ansi("\x1b[38;5;208morange\x1b[38;2;1;2;3mrgb") == "orangergb");
}

TEST_CASE("strip_ansi drops OSC hyperlinks and titles, string sequences and short escapes") {
    CHECK(strip_ansi("\x1b]8;;https://example.org\x1b\\link\x1b]8;;\x1b\\") == "link");
    CHECK(strip_ansi("\x1b]0;window title\x07"
                     "after") == "after");
    CHECK(strip_ansi("a\x1bP1$r0m\x1b\\b") == "ab");
    CHECK(strip_ansi("\x1b(Bx\x1b"
                     "7y\x1b"
                     "8z\x1b=") == "xyz");
}

TEST_CASE("strip_ansi keeps UTF-8 and drops an unterminated sequence at the end") {
    CHECK(strip_ansi("caf\xc3\xa9 \xe2\x9c\x93") == "caf\xc3\xa9 \xe2\x9c\x93");
    CHECK(strip_ansi("tail\x1b") == "tail");
    CHECK(strip_ansi("tail\x1b[12;") == "tail");
    CHECK(strip_ansi("tail\x1b]8;;never closed") == "tail");
    CHECK(strip_ansi("") == "");
}

TEST_CASE("strip_ansi of a log that tries to close a script element keeps it as text") {
    // Escapes are removed; markup stays text for the report writers to escape.
    CHECK(strip_ansi("\x1b[31m</script><script>alert(1)</script>\x1b[0m") ==
          "</script><script>alert(1)</script>");
}

TEST_CASE("escape_length measures the sequence at the start") {
    CHECK(omni::escape_length("\x1b[1;31mred") == 7);
    CHECK(omni::escape_length("\x1b]8;;u\x1b\\x") == 8);
    CHECK(omni::escape_length("plain") == 0);
    CHECK(omni::escape_length("\x1b") == 1);
}
