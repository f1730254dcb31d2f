#pragma once
// The history of an env: one record per committed change, written by the
// transaction that made it (env_transaction.hpp) as
// <env>/.omni/history/<id>.json. Ids sort by time. docs/ARCHITECTURE.md
// describes the format; records from before a field existed still read.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace omni::install {

// One distribution a change added or removed.
struct HistoryDist {
    std::string name;  // normalized
    std::string version;
    // Added: the wheel it was installed from (its sha256 names it in
    // cache/wheels/<sha256>/ and cache/unpacked/<sha256>/). Empty when the
    // record does not say (a removal, or a record without it).
    std::string wheel_sha256;
    std::string wheel;                      // its file name; empty in older records
    std::optional<bool> requested;          // REQUESTED was written / was there
    std::optional<std::string> direct_url;  // direct_url.json it had (PEP 610)
    bool phantom = false;                   // removed: a dist-info without RECORD, never installed
};

struct Replacement {
    std::string name;
    std::string from;
    std::string to;
};

// One committed change, as recorded in <env>/.omni/history/.
struct HistoryEntry {
    std::string id;
    std::string time;  // UTC, ISO 8601
    std::string command;
    std::vector<HistoryDist> added;    // replaced names too, at their new version
    std::vector<HistoryDist> removed;  // replaced names too, at their old version
};

// Names both removed and added by one change: "a 1.0 -> 1.1".
std::vector<Replacement> replacements(const HistoryEntry& entry);

// A history id is one plain file name (no separator, no leading dot).
bool is_history_id(const std::string& id);

// Every record of the env, oldest first. A damaged record is skipped with
// a warning; a record's fields are checked (names, versions, sha256, wheel
// file names) and a field that fails is dropped, not trusted.
std::vector<HistoryEntry> read_history(const std::filesystem::path& env_root);

// Writes the record of one committed change (atomically).
void write_history_record(const std::filesystem::path& env_root, const HistoryEntry& entry);

// <env>/.omni/history.
std::filesystem::path history_dir(const std::filesystem::path& env_root);

}  // namespace omni::install
