#pragma once
// Making an env match a lock: select the lock's packages for the target
// interpreter (environments, requires-python, markers, one entry per name),
// pick each one's best wheel for the interpreter's tags, fetch it through
// the cache (offline when cached) and verify its sha256 and size, then
// install what is missing or different and remove what the lock does not
// list, as ONE env transaction. The listed bubbles of the interpreter are
// built from their locked wheels. Nothing is touched until every file is
// fetched, verified and unpacked.
#include <filesystem>
#include <string>
#include <vector>

#include "omni/bubble/provision.hpp"
#include "omni/bubble/store.hpp"
#include "omni/lock/pylock.hpp"

namespace omni::lock {

struct SyncOptions {
    bool inexact = false;            // keep what the lock does not list
    std::filesystem::path lock_dir;  // relative `path` entries start here
};

struct SyncItem {
    std::string name;  // normalized
    std::string version;
    LockedFile file;                       // the wheel chosen for this interpreter
    std::optional<std::string> installed;  // the version there now
};

struct SyncBubble {
    LockedBubble bubble;
    std::vector<SyncItem> items;
    bool present = false;  // already in the store
};

struct SyncPlan {
    std::vector<SyncItem> install;    // missing or another version
    std::vector<SyncItem> unchanged;  // already at the locked version
    std::vector<std::string> remove;  // "name version": installed, not in the lock
    std::vector<SyncBubble> bubbles;
};

// Reads the lock file (Error naming it when it is missing or malformed).
PyLock read_lock_file(const std::filesystem::path& path);

// What a sync would do; touches nothing. A lock whose environments or
// requires-python exclude the interpreter, an entry with no wheel for it, a
// name selected twice, a wheel without a sha256: Error, naming it.
SyncPlan plan_sync(const bubble::ProvisionContext& context, const PyLock& lock,
                   const SyncOptions& options);

struct SyncOutcome {
    std::vector<SyncItem> installed;
    std::vector<std::string> removed;
    std::vector<bubble::BubbleInfo> bubbles_built;
    std::string transaction;  // the env transaction's id, empty when nothing changed
};

// Carries the plan out (see the top of this file).
SyncOutcome apply_sync(const bubble::ProvisionContext& context, const SyncPlan& plan,
                       const SyncOptions& options);

}  // namespace omni::lock
