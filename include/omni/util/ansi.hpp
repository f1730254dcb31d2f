#pragma once
// Terminal escape sequences in text that came from a child process. Reports
// (logs, JSON, JUnit, HTML) keep the text and drop the escapes, so a colour
// code never shows up as "^[[31m" in a CI page or moves a reader's cursor.
#include <cstddef>
#include <string>
#include <string_view>

namespace omni {

// `text` without its ECMA-48 escape sequences: CSI (ESC [ ... final byte,
// colours and cursor moves), OSC (ESC ] ... BEL or ESC \, e.g. hyperlinks
// and window titles), DCS/SOS/PM/APC strings (ESC P/X/^/_ ... ESC \) and the
// two- and three-byte escapes (ESC 7, ESC ( B). An unterminated sequence at
// the end is dropped. Other characters, UTF-8 included, are kept as they are.
std::string strip_ansi(std::string_view text);

// The length in bytes of the escape sequence `text` starts with (0 when it
// does not start with ESC), by the same rules.
std::size_t escape_length(std::string_view text);

}  // namespace omni
