#pragma once
// The on-disk form of registry.json (private to the python module).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "omni/home/home.hpp"
#include "omni/python/interpreter.hpp"

namespace omni::python::detail {

struct FileStamp {
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const FileStamp&) const = default;
};

// The size and mtime of the file a path leads to; nullopt when it is gone.
std::optional<FileStamp> stamp_of(const std::filesystem::path& path);

struct RegistryEntry {
    std::filesystem::path path;
    Source source = Source::path;
    FileStamp stamp;
    std::optional<InterpreterInfo> info;  // empty: broken, see error
    std::string error;
};

struct RegistryDoc {
    static constexpr int schema_version = 1;
    std::vector<RegistryEntry> entries;
    std::set<std::filesystem::path> adopted;
    std::set<std::filesystem::path> forgotten;

    const RegistryEntry* find(const std::filesystem::path& path) const;
};

// Reads registry.json. A missing file is an empty registry; a damaged one is
// an empty registry too, with `damaged` set (the caller warns).
RegistryDoc load_registry(const Home& home, bool& damaged);
void save_registry(const Home& home, const RegistryDoc& doc);

}  // namespace omni::python::detail
