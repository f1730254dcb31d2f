#include "omni/home/cache_lock.hpp"

#include <chrono>

namespace omni {

FileLock use_cache(const Home& home) {
    return FileLock::acquire(home.lock_file("cache"), LockMode::shared, std::chrono::minutes(10));
}

FileLock clean_cache(const Home& home) {
    return FileLock::acquire(home.lock_file("cache"), LockMode::exclusive,
                             std::chrono::minutes(10));
}

}  // namespace omni
