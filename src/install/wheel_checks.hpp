#pragma once
// Checks of a wheel's pieces that do not need the archive open.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "omni/install/unpacked_wheel.hpp"
#include "omni/util/error.hpp"

namespace omni::install {

// A member name that stays inside the wheel: relative, no "..", no
// backslash or NUL, not empty. The error names the wheel and the member.
void check_member_name(std::string_view wheel, std::string_view member);

// The zip's end record must end the file: anything after it is rejected.
void check_no_trailing_data(const std::filesystem::path& wheel);

struct RecordRow {
    std::string path;
    std::string hash;  // "sha256=..." or empty
    std::string size;
};
std::vector<RecordRow> parse_record(std::string_view text, std::string_view wheel);

// Wheel-Version and Root-Is-Purelib from the WHEEL file.
struct WheelFileInfo {
    int major = 1;
    int minor = 0;
    bool root_is_purelib = true;
};
WheelFileInfo parse_wheel_file(std::string_view text, std::string_view wheel);

// The non-empty lines of a small text file such as top_level.txt.
std::vector<std::string> read_lines(const std::filesystem::path& file);

std::vector<EntryPoint> parse_entry_points(std::string_view text, std::string_view wheel);

}  // namespace omni::install
