#pragma once
// One HistoryDist as JSON: the form of the history record's "added" and
// "removed" entries, which the journal carries too (env_history.cpp).
#include <filesystem>

#include <nlohmann/json.hpp>

#include "omni/install/env_history.hpp"

namespace omni::install {

nlohmann::json history_dist_json(const HistoryDist& dist);
// Checked: Error(corrupt_state) for a bad name or version; a bad optional
// field is dropped with a warning naming `where`.
HistoryDist history_dist_from_json(const nlohmann::json& j, const std::filesystem::path& where);

}  // namespace omni::install
