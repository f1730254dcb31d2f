#include "cli/matrix_marks.hpp"

namespace omni::cli {

std::string_view mark_of(matrix::CellStatus status) {
    switch (status) {
        case matrix::CellStatus::passed:
            return "\xe2\x9c\x93";  // ✓
        case matrix::CellStatus::failed:
            return "\xe2\x9c\x97";  // ✗
        case matrix::CellStatus::error:
            return "!";
        case matrix::CellStatus::timed_out:
            return "\xe2\x97\xb7";  // ◷
        case matrix::CellStatus::skipped:
            return "-";
    }
    return "?";
}

Tone tone_of(matrix::CellStatus status) {
    switch (status) {
        case matrix::CellStatus::passed:
            return Tone::passed;
        case matrix::CellStatus::failed:
        case matrix::CellStatus::error:
            return Tone::failed;
        case matrix::CellStatus::timed_out:
        case matrix::CellStatus::skipped:
            return Tone::skipped;
    }
    return Tone::failed;
}

std::string paint_mark(const Style& style, matrix::CellStatus status) {
    return style.paint(tone_of(status), mark_of(status));
}

}  // namespace omni::cli
