#include "omni/lock/history.hpp"

#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace omni::lock {

std::vector<std::string> history_changes(const install::HistoryEntry& entry) {
    std::vector<std::string> out;
    const auto replaced = install::replacements(entry);
    std::set<std::string> names;
    for (const auto& r : replaced)
        names.insert(r.name);
    for (const auto& r : replaced)
        out.push_back(fmt::format("replaced {} {} -> {}", r.name, r.from, r.to));
    for (const auto& d : entry.removed)
        if (!names.contains(d.name))
            out.push_back(fmt::format("removed {} {}", d.name, d.version));
    for (const auto& d : entry.added)
        if (!names.contains(d.name))
            out.push_back(fmt::format("added {} {}", d.name, d.version));
    if (out.empty())
        out.push_back("no distribution changed");
    return out;
}

std::string history_table(const std::vector<install::HistoryEntry>& entries) {
    std::string out;
    for (const auto& e : entries) {
        out += fmt::format("{}  {}  {}\n", e.id, e.time, e.command);
        for (const auto& line : history_changes(e))
            out += fmt::format("    {}\n", line);
    }
    return out;
}

std::string history_json(const std::vector<install::HistoryEntry>& entries) {
    using nlohmann::json;
    const auto dists = [](const std::vector<install::HistoryDist>& list) {
        json out = json::array();
        for (const auto& d : list) {
            json item = {{"name", d.name}, {"version", d.version}};
            if (!d.wheel_sha256.empty())
                item["wheel_sha256"] = d.wheel_sha256;
            if (!d.wheel.empty())
                item["wheel"] = d.wheel;
            out.push_back(std::move(item));
        }
        return out;
    };
    json out = json::array();
    for (const auto& e : entries) {
        json replaced = json::array();
        for (const auto& r : install::replacements(e))
            replaced.push_back({{"name", r.name}, {"from", r.from}, {"to", r.to}});
        out.push_back({{"id", e.id},
                       {"time", e.time},
                       {"command", e.command},
                       {"added", dists(e.added)},
                       {"removed", dists(e.removed)},
                       {"replaced", replaced}});
    }
    return out.dump(2);
}

}  // namespace omni::lock
