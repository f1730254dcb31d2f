#include "omni/home/pip_conf.hpp"

#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "omni/util/fs.hpp"

namespace omni {

namespace stdfs = std::filesystem;

namespace {

constexpr std::uintmax_t max_conf_bytes = 1 << 20;

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos)
        return {};
    const auto last = s.find_last_not_of(" \t\r");
    return std::string(s.substr(first, last - first + 1));
}

std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::vector<std::string> split_on(const std::string& text, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find(sep, start);
        const auto item = trim(std::string_view(text).substr(start, end - start));
        if (!item.empty())
            out.push_back(item);
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return out;
}

std::vector<std::string> split_on_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// One file: section -> key -> value (continuation lines joined with "\n").
void read_one(const stdfs::path& file, std::map<std::string, PipConfValue>& global,
              std::map<std::string, PipConfValue>& install) {
    std::error_code ec;
    if (!stdfs::is_regular_file(file, ec))
        return;
    if (stdfs::file_size(file, ec) > max_conf_bytes)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("pip configuration '{}' is larger than 1 MiB", file.string()),
                    "point PIP_CONFIG_FILE at a real pip.conf, or remove the file");
    const auto text = fs::read_file(file);
    std::string section;
    std::map<std::string, PipConfValue>* target = nullptr;
    PipConfValue* last = nullptr;
    std::size_t number = 0;
    for (const auto& raw : split_on_lines(text)) {
        ++number;
        const auto line = trim(raw);
        if (line.empty() || line[0] == '#' || line[0] == ';')
            continue;
        if (!raw.empty() && (raw[0] == ' ' || raw[0] == '\t') && last != nullptr) {
            last->value += "\n" + line;
            continue;
        }
        last = nullptr;
        if (line.front() == '[') {
            if (line.back() != ']')
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}:{}: a section header needs a closing ']'",
                                        file.string(), number),
                            "fix the line, e.g. [global]");
            section = lower(trim(std::string_view(line).substr(1, line.size() - 2)));
            target = section == "global" ? &global : section == "install" ? &install : nullptr;
            continue;
        }
        const auto eq = line.find_first_of("=:");
        if (eq == std::string::npos || eq == 0)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}:{}: expected 'key = value', got '{}'", file.string(),
                                    number, line.substr(0, 60)),
                        "fix the line or remove it; pip reads the same file");
        if (section.empty())
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}:{}: '{}' comes before any [section]", file.string(), number,
                                    line.substr(0, 60)),
                        "put it under [global]");
        if (target == nullptr)
            continue;  // a section for another pip command
        auto key = lower(trim(std::string_view(line).substr(0, eq)));
        if (key.find_first_of(" \t") != std::string::npos)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}:{}: expected 'key = value', got '{}'", file.string(),
                                    number, line.substr(0, 60)),
                        "fix the line or remove it; pip reads the same file");
        for (auto& c : key)
            if (c == '_')
                c = '-';
        auto& slot = (*target)[key];
        slot.value = trim(std::string_view(line).substr(eq + 1));
        slot.origin = fmt::format("{}:{} [{}] {}", file.string(), number, section, key);
        last = &slot;
    }
}

}  // namespace

EnvLookup process_environment() {
    return [](const char* name) -> std::optional<std::string> {
        const char* value = std::getenv(name);
        if (value == nullptr || *value == '\0')
            return std::nullopt;
        return std::string(value);
    };
}

std::vector<stdfs::path> pip_conf_locations(const EnvLookup& env) {
    const auto config_file = env("PIP_CONFIG_FILE");
    if (config_file && *config_file == "/dev/null")
        return {};
    std::vector<stdfs::path> out;
    for (const auto& dir : split_on(env("XDG_CONFIG_DIRS").value_or("/etc/xdg"), ':'))
        out.push_back(stdfs::path(dir) / "pip" / "pip.conf");
    out.emplace_back("/etc/pip.conf");
    if (const auto home = env("HOME")) {
        out.push_back(stdfs::path(*home) / ".pip" / "pip.conf");
        const auto xdg = env("XDG_CONFIG_HOME").value_or(*home + "/.config");
        out.push_back(stdfs::path(xdg) / "pip" / "pip.conf");
    }
    if (const auto venv = env("VIRTUAL_ENV"))
        out.push_back(stdfs::path(*venv) / "pip.conf");
    if (config_file)
        out.emplace_back(*config_file);
    return out;
}

std::map<std::string, PipConfValue> read_pip_conf(const std::vector<stdfs::path>& files) {
    std::map<std::string, PipConfValue> merged;
    for (const auto& file : files) {
        std::map<std::string, PipConfValue> global, install;
        read_one(file, global, install);
        for (auto& [k, v] : global)
            merged[k] = std::move(v);
        for (auto& [k, v] : install)
            merged[k] = std::move(v);
    }
    return merged;
}

}  // namespace omni
