#include "omni/install/env_history.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "install/history_json.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/version.hpp"
#include "omni/standards/wheel_name.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"
#include "omni/util/log.hpp"

namespace omni::install {

namespace {

namespace stdfs = std::filesystem;
using nlohmann::json;

constexpr int history_format = 1;
// A direct_url.json larger than this is not kept in a record.
constexpr std::size_t direct_url_limit = 64 * 1024;

}  // namespace

json history_dist_json(const HistoryDist& d) {
    json out = {{"name", d.name}, {"version", d.version}};
    if (!d.wheel_sha256.empty())
        out["wheel_sha256"] = d.wheel_sha256;
    if (!d.wheel.empty())
        out["wheel"] = d.wheel;
    if (d.requested)
        out["requested"] = *d.requested;
    if (d.direct_url)
        out["direct_url"] = *d.direct_url;
    if (d.phantom)
        out["phantom"] = true;
    return out;
}

// A record is a file anyone with write access to the env could have
// written: each field is checked, and one that fails is dropped.
HistoryDist history_dist_from_json(const json& j, const stdfs::path& file) {
    HistoryDist d;
    d.name = j.at("name").get<std::string>();
    d.version = j.at("version").get<std::string>();
    if (!standards::is_valid_name(d.name) || standards::normalize_name(d.name) != d.name ||
        !standards::Version::parse(d.version))
        throw Error(
            ErrorCode::corrupt_state,
            fmt::format("'{} {}' is not a distribution name and version", d.name, d.version));
    const auto drop = [&](const char* field, const std::string& why) {
        logger().warn("history record '{}': ignoring '{}' of {} {}: {}", file.string(), field,
                      d.name, d.version, why);
    };
    if (auto it = j.find("wheel_sha256"); it != j.end() && it->is_string()) {
        if (is_sha256_hex(it->get<std::string>()))
            d.wheel_sha256 = it->get<std::string>();
        else
            drop("wheel_sha256", "not a sha256");
    }
    if (auto it = j.find("wheel"); it != j.end() && it->is_string()) {
        const auto name = it->get<std::string>();
        const auto parsed = standards::WheelName::parse(name);
        if (parsed && parsed->name == d.name && name.find('/') == std::string::npos &&
            parsed->version == *standards::Version::parse(d.version))
            d.wheel = name;
        else
            drop("wheel", "not a wheel file name of this distribution");
    }
    if (auto it = j.find("phantom"); it != j.end() && it->is_boolean())
        d.phantom = it->get<bool>();
    if (auto it = j.find("requested"); it != j.end() && it->is_boolean())
        d.requested = it->get<bool>();
    if (auto it = j.find("direct_url"); it != j.end() && it->is_string()) {
        const auto text = it->get<std::string>();
        if (text.size() <= direct_url_limit && json::accept(text) && json::parse(text).is_object())
            d.direct_url = text;
        else
            drop("direct_url", "not a JSON object");
    }
    return d;
}

stdfs::path history_dir(const stdfs::path& env_root) {
    return env_root / ".omni" / "history";
}

bool is_history_id(const std::string& id) {
    return !id.empty() && id.size() < 200 && !id.starts_with(".") &&
           std::all_of(id.begin(), id.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      c == '-' || c == '.' || c == '_';
           });
}

std::vector<Replacement> replacements(const HistoryEntry& entry) {
    std::vector<Replacement> out;
    for (const auto& added : entry.added)
        for (const auto& removed : entry.removed)
            if (added.name == removed.name)
                out.push_back({added.name, removed.version, added.version});
    return out;
}

void write_history_record(const stdfs::path& env_root, const HistoryEntry& entry) {
    json added = json::array(), removed = json::array(), replaced = json::array();
    for (const auto& d : entry.added)
        added.push_back(history_dist_json(d));
    for (const auto& d : entry.removed)
        removed.push_back(history_dist_json(d));
    for (const auto& r : replacements(entry))
        replaced.push_back({{"name", r.name}, {"from", r.from}, {"to", r.to}});
    const json record = {{"format", history_format}, {"id", entry.id}, {"time", entry.time},
                         {"command", entry.command}, {"added", added}, {"removed", removed},
                         {"replaced", replaced}};
    std::error_code ec;
    stdfs::create_directories(history_dir(env_root), ec);
    fs::atomic_write(history_dir(env_root) / (entry.id + ".json"), record.dump(1) + "\n");
}

std::vector<HistoryEntry> read_history(const stdfs::path& env_root) {
    std::vector<HistoryEntry> out;
    std::error_code ec;
    for (const auto& entry : stdfs::directory_iterator(history_dir(env_root), ec)) {
        const auto& path = entry.path();
        if (path.extension() != ".json" || path.filename().string().starts_with("."))
            continue;
        try {
            const auto j = json::parse(fs::read_file(path));
            if (j.at("format").get<int>() != history_format)
                throw Error(
                    ErrorCode::corrupt_state,
                    fmt::format("format {} is not one this omni knows", j.at("format").dump()));
            HistoryEntry h{j.at("id"), j.at("time"), j.at("command"), {}, {}};
            if (!is_history_id(h.id) || path.stem().string() != h.id)
                throw Error(ErrorCode::corrupt_state,
                            fmt::format("its id '{}' is not its file name", h.id));
            for (const auto& d : j.at("added"))
                h.added.push_back(history_dist_from_json(d, path));
            for (const auto& d : j.at("removed"))
                h.removed.push_back(history_dist_from_json(d, path));
            out.push_back(std::move(h));
        } catch (const std::exception& e) {
            logger().warn("skipping damaged history record '{}': {}", path.string(), e.what());
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
}

}  // namespace omni::install
