#include "omni/python/choice.hpp"

#include <fstream>

#include <fmt/format.h>

#include "omni/home/config.hpp"
#include "omni/util/fs.hpp"

namespace omni::python {

namespace stdfs = std::filesystem;

std::string_view to_string(PythonChoice::Origin origin) {
    switch (origin) {
        case PythonChoice::Origin::option:
            return "--python";
        case PythonChoice::Origin::environment:
            return "OMNI_PYTHON";
        case PythonChoice::Origin::version_file:
            return ".python-version";
        case PythonChoice::Origin::global:
            return "global (python.active)";
    }
    return "?";
}

std::optional<stdfs::path> find_version_file(const stdfs::path& dir) {
    std::error_code ec;
    for (auto at = stdfs::absolute(dir, ec).lexically_normal(); !at.empty();
         at = at.parent_path()) {
        if (stdfs::is_regular_file(at / version_file_name, ec))
            return at / version_file_name;
        if (at == at.root_path())
            break;
    }
    return std::nullopt;
}

std::optional<VersionFileEntry> read_version_entry(const stdfs::path& file) {
    constexpr std::size_t limit = 64 * 1024;
    std::ifstream in(file, std::ios::binary);
    std::string text(limit, '\0');
    in.read(text.data(), static_cast<std::streamsize>(limit));
    text.resize(static_cast<std::size_t>(in.gcount()));
    int number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        const std::string_view line(text.data() + start, end - start);
        start = end + 1;
        ++number;
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos || line[first] == '#')
            continue;
        // pyenv allows several versions on a line; the first one wins.
        const auto last = line.find_first_of(" \t\r", first);
        return VersionFileEntry{
            std::string(line.substr(
                first, last == std::string_view::npos ? std::string_view::npos : last - first)),
            number};
    }
    return std::nullopt;
}

std::optional<std::string> read_version_file(const stdfs::path& file) {
    auto entry = read_version_entry(file);
    if (!entry)
        return std::nullopt;
    return std::move(entry->value);
}

std::string describe_origin(const PythonChoice& choice) {
    switch (choice.origin) {
        case PythonChoice::Origin::version_file:
            return fmt::format("'{}' line {}", choice.file.string(), choice.line);
        case PythonChoice::Origin::global:
            return "the global choice (python.active)";
        default:
            return std::string(to_string(choice.origin));
    }
}

Selection select_chosen(Registry& registry, const std::optional<PythonChoice>& choice) {
    const std::string text = choice ? choice->request : std::string("3");
    auto request = PythonRequest::parse(text);
    if (!request) {
        if (choice && choice->origin != PythonChoice::Origin::option)
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: {}", describe_origin(*choice), request.error().what()),
                        "write a version (3.11) or the path of a known interpreter there");
        throw request.error();
    }
    if (choice && request->is_path() && choice->origin == PythonChoice::Origin::version_file &&
        !std::filesystem::path(text).is_absolute() && !text.starts_with('~')) {
        // A relative path in a version file is relative to the file.
        request->path = (choice->file.parent_path() / text).lexically_normal();
    }
    auto& known = registry;
    if (request->is_path()) {
        std::error_code ec;
        if (!std::filesystem::exists(*request->path, ec))
            throw Error(
                ErrorCode::not_found,
                fmt::format("the chosen interpreter '{}' ({}) no longer exists",
                            request->path->string(), choice ? describe_origin(*choice) : "default"),
                "choose another with 'omni swap python REQUEST'");
    }
    // Only a path typed as --python may be adopted; one read from a file, the
    // environment or the config must already be known.
    const bool typed = choice && choice->origin == PythonChoice::Origin::option;
    Selection selection;
    try {
        selection = known.find(*request, typed ? UnknownPath::adopt : UnknownPath::refuse);
    } catch (const Error& e) {
        if (!choice || typed || e.code() != ErrorCode::invalid_input)
            throw;
        throw Error(e.code(), fmt::format("{}: {}", describe_origin(*choice), e.what()), e.hint());
    }
    return selection;
}

VersionFileRequest version_file_request(const stdfs::path& dir) {
    const auto file = find_version_file(dir);
    if (!file)
        throw Error(ErrorCode::not_found,
                    fmt::format("no {} in {} or its parents", version_file_name,
                                stdfs::absolute(dir).lexically_normal().string()),
                    "name the version (omni python install 3.12), or write one here with "
                    "'omni swap python 3.12 --local'");
    auto entry = read_version_entry(*file);
    if (!entry)
        throw Error(ErrorCode::not_found, fmt::format("'{}' names no version", file->string()),
                    "write a version such as 3.12 in it");
    PythonChoice choice{PythonChoice::Origin::version_file, entry->value, *file, entry->line};
    auto request = PythonRequest::parse(entry->value);
    if (!request)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {}", describe_origin(choice), request.error().what()),
                    "write a version (3.11) there");
    if (request->is_path())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{} names a path ('{}'), not a version to install; a path in a "
                                "version file is never run",
                                describe_origin(choice), entry->value),
                    "write a version (3.11) there, or name one: omni python install 3.12");
    return {std::move(*request), std::move(choice)};
}

void write_version_file(const stdfs::path& dir, std::string_view request) {
    fs::atomic_write(dir / version_file_name, std::string(request) + "\n");
}

std::optional<PythonChoice> current_choice(const Home& home, const ChoiceInputs& inputs) {
    if (inputs.option && !inputs.option->empty())
        return PythonChoice{PythonChoice::Origin::option, *inputs.option, {}, 0};
    if (inputs.environment && !inputs.environment->empty())
        return PythonChoice{PythonChoice::Origin::environment, *inputs.environment, {}, 0};
    if (const auto file = find_version_file(inputs.cwd)) {
        if (auto entry = read_version_entry(*file))
            return PythonChoice{PythonChoice::Origin::version_file, std::move(entry->value), *file,
                                entry->line};
    }
    const auto value = Config(home).get(active_key);
    if (value && value->is_string() && !value->get<std::string>().empty())
        return PythonChoice{PythonChoice::Origin::global, value->get<std::string>(), {}, 0};
    return std::nullopt;
}

}  // namespace omni::python
