#include "python/registry_file.hpp"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::python::detail {

namespace {

using json = nlohmann::json;

json entry_to_json(const RegistryEntry& e) {
    json doc = {{"path", e.path.string()},
                {"source", std::string(to_string(e.source))},
                {"size", e.stamp.size},
                {"mtime_ns", e.stamp.mtime_ns}};
    if (e.info) {
        doc["info"] = to_json(*e.info);
    } else {
        doc["error"] = e.error;
    }
    return doc;
}

std::optional<RegistryEntry> entry_from_json(const json& doc) {
    if (!doc.is_object() || !doc.contains("path") || !doc["path"].is_string())
        return std::nullopt;
    RegistryEntry e;
    e.path = doc["path"].get<std::string>();
    e.source = source_from_string(doc.value("source", "path")).value_or(Source::path);
    e.stamp.size = doc.value("size", std::uintmax_t{0});
    e.stamp.mtime_ns = doc.value("mtime_ns", std::int64_t{0});
    if (doc.contains("info")) {
        auto info = info_from_json(doc["info"]);
        if (!info)
            return std::nullopt;
        info->path = e.path;
        info->source = e.source;
        e.info = std::move(*info);
    } else {
        e.error = doc.value("error", "unknown failure");
    }
    return e;
}

}  // namespace

std::optional<FileStamp> stamp_of(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return std::nullopt;
    return FileStamp{static_cast<std::uintmax_t>(st.st_size),
                     static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                         static_cast<std::int64_t>(st.st_mtim.tv_nsec)};
}

const RegistryEntry* RegistryDoc::find(const std::filesystem::path& path) const {
    for (const auto& e : entries) {
        if (e.path == path)
            return &e;
    }
    return nullptr;
}

RegistryDoc load_registry(const Home& home, bool& damaged) {
    damaged = false;
    RegistryDoc doc;
    std::error_code ec;
    if (!std::filesystem::exists(home.registry_file(), ec))
        return doc;
    const auto parsed = json::parse(fs::read_file(home.registry_file()), nullptr, false);
    try {
        if (parsed.is_discarded() || !parsed.is_object() ||
            parsed.value("schema_version", 0) != RegistryDoc::schema_version ||
            !parsed.contains("entries") || !parsed["entries"].is_array()) {
            damaged = true;
            return doc;
        }
        for (const auto& item : parsed["entries"]) {
            auto entry = entry_from_json(item);
            if (!entry) {
                damaged = true;
                return RegistryDoc{};
            }
            doc.entries.push_back(std::move(*entry));
        }
        for (const auto& p : parsed.value("adopted", json::array()))
            doc.adopted.insert(p.get<std::string>());
        for (const auto& p : parsed.value("forgotten", json::array()))
            doc.forgotten.insert(p.get<std::string>());
    } catch (const json::exception&) {
        damaged = true;
        return RegistryDoc{};
    }
    return doc;
}

void save_registry(const Home& home, const RegistryDoc& doc) {
    json entries = json::array();
    for (const auto& e : doc.entries)
        entries.push_back(entry_to_json(e));
    json adopted = json::array();
    for (const auto& p : doc.adopted)
        adopted.push_back(p.string());
    json forgotten = json::array();
    for (const auto& p : doc.forgotten)
        forgotten.push_back(p.string());
    const json out = {{"schema_version", RegistryDoc::schema_version},
                      {"entries", std::move(entries)},
                      {"adopted", std::move(adopted)},
                      {"forgotten", std::move(forgotten)}};
    fs::atomic_write(home.registry_file(), out.dump(1) + "\n");
}

}  // namespace omni::python::detail
