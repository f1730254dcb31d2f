#pragma once
// An env's history as `omni history` shows it: one block per committed
// change (oldest first) with what it added, removed and replaced, or the
// records as JSON.
#include <string>
#include <vector>

#include "omni/install/env_history.hpp"

namespace omni::lock {

// "added a 1.0", "removed b 2.0", "replaced c 1.0 -> 1.1": a name both
// removed and added by one change is one replacement.
std::vector<std::string> history_changes(const install::HistoryEntry& entry);

// The table: per change a line "ID  TIME  COMMAND" and its changes indented.
std::string history_table(const std::vector<install::HistoryEntry>& entries);

// [{"id", "time", "command", "added", "removed", "replaced"}], oldest first;
// "added" and "removed" hold the replaced names too, as the records do.
std::string history_json(const std::vector<install::HistoryEntry>& entries);

}  // namespace omni::lock
