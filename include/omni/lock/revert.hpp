#pragma once
// Returning an env to the state it had before one of its recorded changes.
// The state before change ID is the state now with every change newer than
// or equal to ID undone, newest first: what a change added is removed, what
// it removed comes back at its recorded version (a removed dist-info without
// RECORD, a phantom, does not). Only the names those changes touched are
// looked at; the rest of the env stays as it is.
//
// A distribution that comes back is installed from the wheel the history
// names (the record that added that version carries the wheel's sha256 and
// file name): its unpacked tree in cache/unpacked/, else the wheel in
// cache/wheels/, else (not offline) the index, picking the file with that
// sha256. REQUESTED and direct_url.json are put back as they were, so the
// dist-info (RECORD included) is the one the env had. The revert is ONE env
// transaction and is itself recorded in the history.
#include <optional>
#include <string>
#include <vector>

#include "omni/bubble/provision.hpp"
#include "omni/install/env_history.hpp"

namespace omni::lock {

enum class WheelSource {
    cache,    // the unpacked tree or the wheel is in the cache
    index,    // not cached: fetched from the index
    missing,  // not cached, and offline
};

struct RevertItem {
    install::HistoryDist dist;             // the version to put back, with its wheel
    std::optional<std::string> installed;  // the version there now
    WheelSource source = WheelSource::missing;
};

struct RevertPlan {
    std::string id;                             // back to the state before this change
    std::vector<install::HistoryEntry> undone;  // the changes undone, newest first
    std::vector<RevertItem> install;            // put back (replacing what is there)
    std::vector<std::pair<std::string, std::string>> remove;  // name, version: not there before
    std::string history_head;                                 // the newest change when planned
    bool empty() const { return install.empty() && remove.empty(); }
};

// `id` names a change of the env's history; empty: its newest change. An
// unknown id (or an empty history) is Error(not_found) naming it, with a
// hint to `omni history`. Touches nothing.
RevertPlan plan_revert(const bubble::ProvisionContext& context, const std::string& id);

struct RevertOutcome {
    std::vector<std::pair<std::string, std::string>> removed;  // name, version
    std::vector<RevertItem> installed;
    std::string transaction;  // the revert's own change id; empty when nothing changed
};

// Carries the plan out: every wheel found and unpacked first (a wheel that
// is not cached when the index is offline is Error(not_found) naming each
// missing one, and the env is unchanged), then the env in one change. Under
// the env's lock the plan is made again; when the env changed since, the
// wheels are prepared for the new plan (three rounds at most).
RevertOutcome apply_revert(const bubble::ProvisionContext& context, const RevertPlan& plan);

}  // namespace omni::lock
