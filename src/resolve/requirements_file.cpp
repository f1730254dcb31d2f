#include "omni/resolve/requirements_file.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "omni/standards/name.hpp"
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

std::vector<std::string> words(const std::string& line) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        std::size_t j = i;
        while (j < line.size() && line[j] != ' ' && line[j] != '\t')
            ++j;
        if (j > i)
            out.push_back(line.substr(i, j - i));
        i = j;
    }
    return out;
}

bool has_suffix(const std::string& text, std::string_view suffix) {
    return text.size() >= suffix.size() &&
           std::equal(suffix.rbegin(), suffix.rend(), text.rbegin(), [](char a, char b) {
               return a == std::tolower(static_cast<unsigned char>(b));
           });
}

// The options a line may start with, and whether each takes a value.
struct LineOption {
    std::string_view long_name, short_name;
    bool takes_value;
};
constexpr LineOption line_options[] = {
    {"--requirement", "-r", true},   {"--constraint", "-c", true},
    {"--editable", "-e", true},      {"--index-url", "-i", true},
    {"--extra-index-url", "", true}, {"--find-links", "-f", true},
    {"--no-index", "", false},       {"--pre", "", false},
    {"--no-binary", "", true},       {"--only-binary", "", true},
    {"--prefer-binary", "", false},
};

std::vector<std::string> split_commas(const std::string& value) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= value.size()) {
        const auto comma = value.find(',', start);
        auto item = trim(value.substr(start, comma - start));
        if (!item.empty())
            out.push_back(item == ":all:" ? item : standards::normalize_name(item));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

// "rich==13 --hash=sha256:ab --hash sha256:cd" -> the requirement and its hashes.
std::string take_hashes(const std::string& line, std::vector<std::string>& hashes,
                        const std::string& where) {
    const auto at = line.find(" --");
    if (at == std::string::npos)
        return line;
    const auto requirement = trim(line.substr(0, at));
    const auto rest = words(line.substr(at));
    for (std::size_t i = 0; i < rest.size(); ++i) {
        std::string value;
        if (rest[i].starts_with("--hash=")) {
            value = rest[i].substr(7);
        } else if (rest[i] == "--hash" && i + 1 < rest.size()) {
            value = rest[++i];
        } else {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: after a requirement only --hash options may follow, "
                                    "got '{}'",
                                    where, rest[i]),
                        "write --hash=sha256:<64 hex digits>");
        }
        const auto colon = value.find(':');
        const auto algorithm = value.substr(0, colon);
        const auto digest = colon == std::string::npos ? std::string() : value.substr(colon + 1);
        const bool hex =
            digest.size() == 64 && std::all_of(digest.begin(), digest.end(), [](char c) {
                return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            });
        if (algorithm != "sha256" || !hex)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: '{}' is not a sha256 hash omni can check", where, value),
                        "write --hash=sha256:<64 lower-case hex digits> (pip hash FILE prints it)");
        hashes.push_back("sha256:" + digest);
    }
    return requirement;
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
    const auto dir = path.parent_path();
    const auto relative = [&dir](const std::string& p) {
        if (p.find("://") != std::string::npos || std::filesystem::path(p).is_absolute())
            return p;
        return (dir.empty() ? std::filesystem::path(p) : dir / p).lexically_normal().string();
    };
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
        if (line.starts_with("-")) {
            // "-r FILE", "--index-url=URL", "-fDIR"
            const auto parts = words(line);
            std::string name = parts[0], value;
            if (const auto eq = name.find('='); eq != std::string::npos && name.starts_with("--")) {
                value = name.substr(eq + 1);
                name.resize(eq);
            }
            const LineOption* option = nullptr;
            for (const auto& o : line_options) {
                if (name == o.long_name || (!o.short_name.empty() && name == o.short_name))
                    option = &o;
                else if (!o.short_name.empty() && name.starts_with(o.short_name) &&
                         name.size() > 2 && !name.starts_with("--")) {
                    option = &o;
                    value = name.substr(2);
                }
            }
            if (option == nullptr)
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: the option '{}' is not supported in requirements "
                                        "files",
                                        where, name),
                            "see docs/PIP_UV.md for the lines omni reads");
            if (option->takes_value && value.empty()) {
                if (parts.size() < 2)
                    throw Error(ErrorCode::invalid_input,
                                fmt::format("{}: {} needs a value", where, name));
                value = trim(line.substr(line.find(parts[1], parts[0].size())));
            } else if (!option->takes_value && (parts.size() > 1 || !value.empty())) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: {} takes no value", where, name));
            }
            const auto& o = option->long_name;
            if (o == "--requirement" || o == "--constraint")
                read_into(relative(value), out, as_constraints || o == "--constraint", seen);
            else if (o == "--editable")
                out.editables.push_back(relative(value));
            else if (o == "--index-url")
                out.index_url = value;
            else if (o == "--extra-index-url")
                out.extra_index_urls.push_back(value);
            else if (o == "--find-links")
                out.find_links.push_back(std::filesystem::exists(relative(value)) ? relative(value)
                                                                                  : value);
            else if (o == "--no-index")
                out.no_index = true;
            else if (o == "--pre")
                out.pre = true;
            else if (o == "--no-binary")
                for (auto& n : split_commas(value))
                    out.no_binary.push_back(std::move(n));
            else if (o == "--only-binary")
                for (auto& n : split_commas(value))
                    out.only_binary.push_back(std::move(n));
            continue;  // --prefer-binary: omni prefers wheels anyway
        }
        std::vector<std::string> hashes;
        const auto requirement = take_hashes(line, hashes, where);
        if (!as_constraints && looks_like_local_path(requirement)) {
            if (!hashes.empty())
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: --hash applies to index requirements, not to the "
                                        "local '{}'",
                                        where, requirement));
            out.local.push_back(relative(requirement));
            continue;
        }
        auto parsed = standards::Requirement::parse(requirement);
        if (!parsed)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: {}", where, parsed.error().what()));
        if (!hashes.empty()) {
            auto& known = out.hashes[parsed->normalized_name()];
            known.insert(known.end(), hashes.begin(), hashes.end());
        }
        (as_constraints ? out.constraints : out.requirements).push_back(requirement);
    }
}

}  // namespace

bool looks_like_local_path(const std::string& text) {
    const auto bracket = text.find('[');
    const auto path = bracket == std::string::npos ? text : text.substr(0, bracket);
    if (path.empty() || path.find("://") != std::string::npos ||
        path.find('@') != std::string::npos)
        return false;
    if (has_suffix(path, ".whl") || has_suffix(path, ".tar.gz") || has_suffix(path, ".zip") ||
        has_suffix(path, ".tgz"))
        return true;
    return path == "." || path == ".." || path.starts_with("./") || path.starts_with("../") ||
           path.starts_with("/") || path.starts_with("~/") || path.ends_with("/");
}

void RequirementsFile::merge(const RequirementsFile& other) {
    const auto append = [](auto& to, const auto& from) {
        to.insert(to.end(), from.begin(), from.end());
    };
    append(requirements, other.requirements);
    append(constraints, other.constraints);
    append(editables, other.editables);
    append(local, other.local);
    if (other.index_url)
        index_url = other.index_url;
    append(extra_index_urls, other.extra_index_urls);
    append(find_links, other.find_links);
    no_index = no_index || other.no_index;
    pre = pre || other.pre;
    append(no_binary, other.no_binary);
    append(only_binary, other.only_binary);
    for (const auto& [name, h] : other.hashes)
        append(hashes[name], h);
}

namespace {

bool is_sdist_name(const std::string& path) {
    return has_suffix(path, ".tar.gz") || has_suffix(path, ".zip") || has_suffix(path, ".tgz");
}

// "./dir[dev,test]" -> "./dir" and {"dev", "test"}.
std::string split_extras(const std::string& text, std::vector<std::string>& extras) {
    const auto open = text.find('[');
    if (open == std::string::npos || text.back() != ']')
        return text;
    for (const auto& e : split_commas(text.substr(open + 1, text.size() - open - 2)))
        extras.push_back(e);
    return text.substr(0, open);
}

std::string percent_decoded(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() &&
            std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

}  // namespace

InstallArguments classify_install_arguments(const std::vector<std::string>& args) {
    InstallArguments out;
    for (const auto& arg : args) {
        std::error_code ec;
        LocalTarget target;
        if (looks_like_local_path(arg) || (std::filesystem::is_regular_file(arg, ec) &&
                                           (has_suffix(arg, ".whl") || is_sdist_name(arg)))) {
            target.location = split_extras(arg, target.extras);
            target.is_wheel = has_suffix(target.location, ".whl");
            out.local.push_back(std::move(target));
            continue;
        }
        auto parsed = standards::Requirement::parse(arg);
        if (!parsed || parsed->url.empty()) {
            out.requirements.push_back(arg);  // the resolver reports a bad one
            continue;
        }
        const auto& url = parsed->url;
        target.name = parsed->normalized_name();
        target.extras = parsed->extras;
        if (url.starts_with("file://")) {
            auto path = percent_decoded(url.substr(7));
            if (path.starts_with("localhost/"))
                path = path.substr(9);
            if (!path.starts_with("/"))
                throw Error(ErrorCode::invalid_input,
                            fmt::format("'{}': a file:// URL needs an absolute path", arg),
                            "write name @ file:///absolute/path");
            target.location = path;
            target.is_wheel = has_suffix(path, ".whl");
        } else if ((url.starts_with("https://") || url.starts_with("http://")) &&
                   has_suffix(url.substr(0, url.find_first_of("#?")), ".whl")) {
            target.location = url.substr(0, url.find_first_of("#?"));
            target.is_wheel = true;
        } else {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("'{}': omni installs direct references to wheels (file:// or "
                                    "https://), local sdists and project directories; not this URL",
                                    arg),
                        "download the distribution and give its path, or use an index");
        }
        out.local.push_back(std::move(target));
    }
    return out;
}

RequirementsFile read_requirements_file(const std::filesystem::path& path) {
    RequirementsFile out;
    std::set<std::filesystem::path> seen;
    read_into(path, out, false, seen);
    return out;
}

}  // namespace omni::resolve
