#include "omni/python/choice.hpp"

#include <fstream>

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

std::optional<std::string> read_version_file(const stdfs::path& file) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#')
            continue;
        // pyenv allows several versions on a line; the first one wins.
        const auto last = line.find_first_of(" \t\r", first);
        return line.substr(first, last == std::string::npos ? std::string::npos : last - first);
    }
    return std::nullopt;
}

void write_version_file(const stdfs::path& dir, std::string_view request) {
    fs::atomic_write(dir / version_file_name, std::string(request) + "\n");
}

std::optional<PythonChoice> current_choice(const Home& home, const ChoiceInputs& inputs) {
    if (inputs.option && !inputs.option->empty())
        return PythonChoice{PythonChoice::Origin::option, *inputs.option, {}};
    if (inputs.environment && !inputs.environment->empty())
        return PythonChoice{PythonChoice::Origin::environment, *inputs.environment, {}};
    if (const auto file = find_version_file(inputs.cwd)) {
        if (auto request = read_version_file(*file))
            return PythonChoice{PythonChoice::Origin::version_file, std::move(*request), *file};
    }
    const auto value = Config(home).get(active_key);
    if (value && value->is_string() && !value->get<std::string>().empty())
        return PythonChoice{PythonChoice::Origin::global, value->get<std::string>(), {}};
    return std::nullopt;
}

}  // namespace omni::python
