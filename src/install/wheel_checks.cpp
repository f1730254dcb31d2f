#include "install/wheel_checks.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "omni/util/fs.hpp"

namespace omni::install {

namespace {

Error hostile(std::string_view wheel, std::string what) {
    return Error(ErrorCode::integrity, fmt::format("wheel '{}' is rejected: {}", wheel, what),
                 "the file is damaged or was built to escape its install directory; get it again "
                 "from a trusted index");
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

}  // namespace

void check_member_name(std::string_view wheel, std::string_view member) {
    if (member.empty())
        throw hostile(wheel, "a member has an empty name");
    if (member.find('\0') != std::string_view::npos)
        throw hostile(wheel, fmt::format("member '{}' has a NUL byte in its name", member));
    if (member.front() == '/' || (member.size() > 1 && member[1] == ':'))
        throw hostile(wheel, fmt::format("member '{}' has an absolute path", member));
    if (member.find('\\') != std::string_view::npos)
        throw hostile(wheel, fmt::format("member '{}' has a backslash in its path", member));
    std::size_t start = 0;
    while (start <= member.size()) {
        const auto slash = member.find('/', start);
        const auto part = member.substr(start, slash - start);
        if (part == "..")
            throw hostile(wheel, fmt::format("member '{}' climbs out with '..'", member));
        if (slash == std::string_view::npos)
            break;
        start = slash + 1;
    }
}

namespace {

std::uint32_t le(const std::string& d, std::size_t at, int bytes) {
    std::uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(d[at + static_cast<std::size_t>(i)]);
    return v;
}

// Every central directory entry must agree with its local header (name,
// and CRC and sizes unless a data descriptor follows the data): a zip that
// shows one file to one reader and another to the next is rejected.
void check_central_directory(const std::string& d, std::size_t eocd, std::string_view wheel) {
    const std::size_t entries = le(d, eocd + 10, 2);
    std::size_t at = le(d, eocd + 16, 4);
    for (std::size_t n = 0; n < entries; ++n) {
        if (at + 46 > d.size() || le(d, at, 4) != 0x02014b50u)
            throw hostile(wheel, "its central directory is damaged");
        const auto flags = le(d, at + 8, 2);
        const auto crc = le(d, at + 16, 4), csize = le(d, at + 20, 4), usize = le(d, at + 24, 4);
        const std::size_t name_len = le(d, at + 28, 2), extra_len = le(d, at + 30, 2),
                          comment_len = le(d, at + 32, 2);
        const std::size_t local = le(d, at + 42, 4);
        const std::string name = d.substr(at + 46, name_len);
        if (local + 30 > d.size() || le(d, local, 4) != 0x04034b50u)
            throw hostile(
                wheel,
                fmt::format("member '{}' has no local header where the directory says", name));
        const std::size_t local_name_len = le(d, local + 26, 2);
        if (d.compare(local + 30, local_name_len, name) != 0 || local_name_len != name_len)
            throw hostile(wheel, fmt::format("member '{}' is named '{}' in its local header", name,
                                             d.substr(local + 30, local_name_len)));
        if ((flags & 0x8u) == 0 && (le(d, local + 14, 4) != crc || le(d, local + 18, 4) != csize ||
                                    le(d, local + 22, 4) != usize))
            throw hostile(
                wheel,
                fmt::format("member '{}' has a different CRC or size in its local header", name));
        at += 46 + name_len + extra_len + comment_len;
    }
}

}  // namespace

void check_no_trailing_data(const std::filesystem::path& wheel) {
    const std::string data = fs::read_file(wheel);
    // The end-of-central-directory record: 22 bytes plus its comment.
    const std::size_t min = 22;
    if (data.size() < min)
        throw hostile(wheel.string(), "too short to be a zip");
    const std::size_t lowest = data.size() > min + 65535 ? data.size() - min - 65535 : 0;
    for (std::size_t pos = data.size() - min + 1; pos-- > lowest;) {
        if (data.compare(pos, 4, "PK\x05\x06") != 0)
            continue;
        const std::size_t comment = le(data, pos + 20, 2);
        if (pos + min + comment != data.size())
            throw hostile(wheel.string(), fmt::format("{} bytes follow the end of the zip",
                                                      data.size() - (pos + min + comment)));
        check_central_directory(data, pos, wheel.string());
        return;
    }
    throw hostile(wheel.string(), "no zip end record (a truncated download?)");
}

std::vector<RecordRow> parse_record(std::string_view text, std::string_view wheel) {
    std::vector<RecordRow> rows;
    std::size_t line_no = 0;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty())
            continue;
        // CSV: fields may be quoted (paths with commas).
        std::vector<std::string> fields(1);
        bool quoted = false;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const char c = line[i];
            if (quoted) {
                if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                    fields.back() += '"';
                    ++i;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    fields.back() += c;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.emplace_back();
            } else {
                fields.back() += c;
            }
        }
        if (fields.size() != 3)
            throw hostile(
                wheel, fmt::format("RECORD line {} has {} fields, not 3", line_no, fields.size()));
        rows.push_back({fields[0], fields[1], fields[2]});
    }
    return rows;
}

WheelFileInfo parse_wheel_file(std::string_view text, std::string_view wheel) {
    WheelFileInfo info;
    bool have_version = false;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        const auto line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        const auto key = trim(line.substr(0, colon));
        const auto value = trim(line.substr(colon + 1));
        if (key == "Wheel-Version") {
            const auto dot = value.find('.');
            try {
                info.major = std::stoi(std::string(value.substr(0, dot)));
                info.minor = dot == std::string_view::npos
                                 ? 0
                                 : std::stoi(std::string(value.substr(dot + 1)));
                have_version = true;
            } catch (const std::exception&) {
                throw hostile(wheel, fmt::format("Wheel-Version '{}' is not a number", value));
            }
        } else if (key == "Root-Is-Purelib") {
            info.root_is_purelib = value == "true" || value == "True";
        }
    }
    if (!have_version)
        throw hostile(wheel, "the WHEEL file has no Wheel-Version");
    if (info.major != 1)
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("wheel '{}' has Wheel-Version {}.{}, which this omni cannot install", wheel,
                        info.major, info.minor),
            "upgrade omni, or pick a wheel with Wheel-Version 1.x");
    return info;
}

std::vector<std::string> read_lines(const std::filesystem::path& file) {
    const std::string text = fs::read_file(file);
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto nl = text.find('\n', start);
        auto line = text.substr(start, nl - start);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (!line.empty())
            lines.push_back(line);
        if (nl == std::string::npos)
            break;
        start = nl + 1;
    }
    return lines;
}

std::vector<EntryPoint> parse_entry_points(std::string_view text, std::string_view wheel) {
    std::vector<EntryPoint> out;
    std::string section;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        const auto line = trim(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (line.empty() || line[0] == '#' || line[0] == ';')
            continue;
        if (line.front() == '[' && line.back() == ']') {
            section = std::string(trim(line.substr(1, line.size() - 2)));
            continue;
        }
        if (section != "console_scripts" && section != "gui_scripts")
            continue;
        const auto eq = line.find('=');
        if (eq == std::string_view::npos)
            continue;
        const auto name = std::string(trim(line.substr(0, eq)));
        auto target = trim(line.substr(eq + 1));
        target = target.substr(0, target.find('['));  // extras do not matter for a launcher
        const auto colon = target.find(':');
        if (colon == std::string_view::npos)
            throw hostile(wheel, fmt::format("entry point '{}' has no ':' in '{}'", name, target));
        // A launcher may not escape the scripts directory or shadow python.
        if (name.empty() || name.find('/') != std::string::npos ||
            name.find('\\') != std::string::npos || name == "." || name == ".." ||
            name == "python" || name == "python3" ||
            (name.starts_with("python3.") &&
             name.find_first_not_of("0123456789", 8) == std::string::npos))
            throw hostile(wheel, fmt::format("entry point name '{}' is not allowed", name));
        out.push_back({name, std::string(trim(target.substr(0, colon))),
                       std::string(trim(target.substr(colon + 1))), section == "gui_scripts"});
    }
    return out;
}

}  // namespace omni::install
