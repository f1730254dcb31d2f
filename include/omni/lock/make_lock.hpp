#pragma once
// Writing a lock: requirements resolved (or what an env holds now, pinned)
// for one or more interpreters, each chosen file fetched through the cache
// so its sha256 and size are the bytes a sync will verify, and the bubbles
// of each interpreter with their closures.
#include <string>
#include <vector>

#include "omni/bubble/provision.hpp"
#include "omni/lock/pylock.hpp"

namespace omni::lock {

struct LockRequest {
    // Empty: lock what each context's env holds now, and its interpreter's bubbles.
    std::vector<std::string> requirements;
};

// One lock covering every context's interpreter. With several, a package
// entry that not all of them share carries a python_version marker, and
// `environments` names each interpreter.
PyLock make_lock(const std::vector<bubble::ProvisionContext>& contexts, const LockRequest& request);

}  // namespace omni::lock
