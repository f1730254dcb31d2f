#pragma once
// A Python traceback as printed on stderr, taken apart: the frames and the
// final exception. Handles the formats of CPython 2.7 and 3.6-3.13 (carets,
// "Did you mean", notes, chained exceptions).
#include <string>
#include <string_view>
#include <vector>

namespace omni::run {

struct Frame {
    std::string file;
    int line = 0;
    std::string function;
    std::string source;  // the source line shown under the frame, stripped
};

struct Traceback {
    std::vector<Frame> frames;  // of the last traceback in the text, outermost first
    std::string exception;      // "ModuleNotFoundError", "pkg_resources.DistributionNotFound"
    std::string message;        // the text after "Type: " (first line plus continuation)
    bool found = false;         // false when the text holds no traceback
};

Traceback parse_traceback(std::string_view stderr_text);

}  // namespace omni::run
