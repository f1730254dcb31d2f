#include "omni/resolve/requirements_file.hpp"

#include <set>

#include <fmt/format.h>

#include "omni/standards/requirement.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"

namespace omni::resolve {

namespace {

std::string trim(std::string s) {
    const auto first = s.find_first_not_of(" \t\r");
    const auto last = s.find_last_not_of(" \t\r");
    return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

void read_into(const std::filesystem::path& path, RequirementsFile& out, bool as_constraints,
               std::set<std::filesystem::path>& seen) {
    const auto canonical = std::filesystem::weakly_canonical(path);
    if (!seen.insert(canonical).second)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("requirements file '{}' includes itself", path.string()));
    if (!std::filesystem::exists(path))
        throw Error(ErrorCode::not_found,
                    fmt::format("requirements file '{}' does not exist", path.string()));
    const std::string text = fs::read_file(path);
    std::string pending;
    std::size_t line_no = 0, start_line = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto nl = text.find('\n', pos);
        std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? text.size() + 1 : nl + 1;
        ++line_no;
        if (pending.empty())
            start_line = line_no;
        // A comment starts at '#' at the start or after white space.
        for (std::size_t i = 0; i < line.size(); ++i)
            if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
                line.resize(i);
                break;
            }
        line = trim(line);
        if (!line.empty() && line.back() == '\\') {
            pending += line.substr(0, line.size() - 1);
            continue;
        }
        line = trim(pending + line);
        pending.clear();
        if (line.empty())
            continue;
        const auto where = fmt::format("{}:{}", path.string(), start_line);
        if (line.starts_with("-r ") || line.starts_with("--requirement ") ||
            line.starts_with("-c ") || line.starts_with("--constraint ")) {
            const bool constraint = line.starts_with("-c") || line.starts_with("--constraint");
            const auto include = trim(line.substr(line.find(' ') + 1));
            read_into(path.parent_path() / include, out, as_constraints || constraint, seen);
            continue;
        }
        if (line.starts_with("-"))
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: the option '{}' is not supported in requirements files",
                                    where, line),
                        "give index options on the command line (--index-url, --find-links)");
        auto parsed = standards::Requirement::parse(line);
        if (!parsed)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: {}", where, parsed.error().what()));
        (as_constraints ? out.constraints : out.requirements).push_back(line);
    }
}

}  // namespace

RequirementsFile read_requirements_file(const std::filesystem::path& path) {
    RequirementsFile out;
    std::set<std::filesystem::path> seen;
    read_into(path, out, false, seen);
    return out;
}

}  // namespace omni::resolve
