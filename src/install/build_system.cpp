#include "omni/install/build_system.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "omni/util/error.hpp"

namespace omni::install {

namespace {

const std::vector<std::string> legacy_requires{"setuptools>=40.8.0"};

Error malformed(const std::filesystem::path& file, const std::string& what) {
    return Error(ErrorCode::invalid_input, fmt::format("'{}': {}", file.string(), what),
                 "fix [build-system] as PEP 518 describes: requires = [...], build-backend = "
                 "\"module:object\"");
}

std::vector<std::string> strings(const toml::node* node, const std::filesystem::path& file,
                                 const char* key) {
    std::vector<std::string> out;
    if (!node)
        return out;
    const auto* array = node->as_array();
    if (!array)
        throw malformed(file, fmt::format("build-system.{} is not a list of strings", key));
    for (const auto& item : *array) {
        const auto* text = item.as_string();
        if (!text)
            throw malformed(file, fmt::format("build-system.{} holds something not a string", key));
        out.push_back(text->get());
    }
    return out;
}

}  // namespace

BuildSystem read_build_system(const std::filesystem::path& source_dir) {
    BuildSystem system;
    const auto file = source_dir / "pyproject.toml";
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        system.requirements = legacy_requires;
        return system;
    }
    toml::table doc;
    try {
        doc = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw malformed(file, fmt::format("not valid TOML at line {}: {}", e.source().begin.line,
                                          e.description()));
    }
    const auto* table = doc["build-system"].as_table();
    if (!table) {
        system.requirements = legacy_requires;
        return system;
    }
    system.declared = true;
    if (!table->contains("requires"))
        throw malformed(file, "[build-system] has no 'requires' list");
    system.requirements = strings(table->get("requires"), file, "requires");
    if (const auto* backend = table->get("build-backend")) {
        const auto* text = backend->as_string();
        if (!text || text->get().empty())
            throw malformed(file, "build-system.build-backend is not a \"module:object\" string");
        system.backend = text->get();
    }
    system.backend_path = strings(table->get("backend-path"), file, "backend-path");
    for (const auto& path : system.backend_path)
        if (std::filesystem::path(path).is_absolute() || path.find("..") != std::string::npos)
            throw malformed(file, fmt::format("backend-path '{}' leaves the source tree", path));
    return system;
}

}  // namespace omni::install
