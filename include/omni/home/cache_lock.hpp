#pragma once
// locks/cache.lock: everything that reads or fills $OMNI_HOME/cache (index
// pages, downloads, unpacked trees) holds it shared for as long as it does;
// `cache clean` and `cache prune` hold it exclusively, so they wait for those
// readers rather than pull files from under them.
#include "omni/home/home.hpp"
#include "omni/util/file_lock.hpp"

namespace omni {

// Shared; waits up to 10 minutes for a running clean.
FileLock use_cache(const Home& home);
// Exclusive; waits up to 10 minutes for the running readers.
FileLock clean_cache(const Home& home);

}  // namespace omni
