#include "omni/python/interpreter.hpp"

#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace omni::python {

namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 6> source_names = {"managed", "pyenv", "uv",
                                                          "adopted", "path",  "system"};

template <class T>
bool read(const json& doc, const char* key, T& out) {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null())
        return false;
    out = it->get<T>();
    return true;
}

std::map<std::string, std::string> string_map(const json& doc) {
    std::map<std::string, std::string> out;
    if (!doc.is_object())
        return out;
    for (const auto& [key, value] : doc.items()) {
        if (value.is_string())
            out[key] = value.get<std::string>();
    }
    return out;
}

}  // namespace

std::string_view to_string(Source source) {
    return source_names[static_cast<std::size_t>(source)];
}

std::optional<Source> source_from_string(std::string_view text) {
    for (std::size_t i = 0; i < source_names.size(); ++i) {
        if (source_names[i] == text)
            return static_cast<Source>(i);
    }
    return std::nullopt;
}

std::string InterpreterInfo::env_key() const {
    return fmt::format("{}-{}{}", implementation, version.major_minor(), free_threaded ? "t" : "");
}

std::string InterpreterInfo::describe() const {
    return fmt::format("{} {}{} ({}) {}", implementation, version.str(), free_threaded ? "t" : "",
                       to_string(source), path.string());
}

json to_json(const InterpreterInfo& info) {
    return json{{"path", info.path.string()},
                {"source", std::string(to_string(info.source))},
                {"version", info.version.str()},
                {"implementation", info.implementation},
                {"executable", info.executable.string()},
                {"prefix", info.prefix.string()},
                {"base_prefix", info.base_prefix.string()},
                {"exec_prefix", info.exec_prefix.string()},
                {"paths", info.paths},
                {"markers", info.markers},
                {"abiflags", info.abiflags},
                {"soabi", info.soabi},
                {"platform", info.platform},
                {"glibc", info.glibc},
                {"pointer_bits", info.pointer_bits},
                {"free_threaded", info.free_threaded},
                {"is_venv", info.is_venv},
                {"externally_managed", info.externally_managed}};
}

Result<InterpreterInfo> info_from_json(const json& doc) {
    if (!doc.is_object())
        return std::unexpected(Error(ErrorCode::corrupt_state, "not a JSON object"));
    InterpreterInfo info;
    try {
        std::string text;
        if (!read(doc, "version", text))
            return std::unexpected(Error(ErrorCode::corrupt_state, "no 'version'"));
        auto version = PythonVersion::parse(text);
        if (!version)
            return std::unexpected(version.error());
        info.version = *version;
        if (!read(doc, "implementation", info.implementation) || info.implementation.empty())
            return std::unexpected(Error(ErrorCode::corrupt_state, "no 'implementation'"));
        if (read(doc, "path", text))
            info.path = text;
        if (read(doc, "source", text))
            info.source = source_from_string(text).value_or(Source::path);
        if (!read(doc, "executable", text))
            return std::unexpected(Error(ErrorCode::corrupt_state, "no 'executable'"));
        info.executable = text;
        if (read(doc, "prefix", text))
            info.prefix = text;
        if (read(doc, "base_prefix", text))
            info.base_prefix = text;
        if (read(doc, "exec_prefix", text))
            info.exec_prefix = text;
        if (doc.contains("paths"))
            info.paths = string_map(doc["paths"]);
        if (doc.contains("markers"))
            info.markers = string_map(doc["markers"]);
        read(doc, "abiflags", info.abiflags);
        read(doc, "soabi", info.soabi);
        read(doc, "platform", info.platform);
        read(doc, "glibc", info.glibc);
        read(doc, "pointer_bits", info.pointer_bits);
        read(doc, "free_threaded", info.free_threaded);
        read(doc, "is_venv", info.is_venv);
        read(doc, "externally_managed", info.externally_managed);
    } catch (const json::exception& e) {
        return std::unexpected(
            Error(ErrorCode::corrupt_state, fmt::format("wrong type: {}", e.what())));
    }
    return info;
}

}  // namespace omni::python
