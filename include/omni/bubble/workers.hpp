#pragma once
// The worker processes omni_loader.worker() started for this home, as their
// records under $OMNI_HOME/workers/<pid>.json say (written by the loader,
// removed when the worker ends). A record counts only while its process is
// alive and is the same process (its start time matches); others are stale
// and are removed.
#include <cstdint>
#include <string>
#include <vector>

#include "omni/home/home.hpp"

namespace omni::bubble {

struct WorkerRecord {
    int pid = 0;
    int owner = 0;       // the process that uses it
    std::string python;  // the interpreter it runs
    std::vector<std::string> requirements;
    std::int64_t started = 0;  // Unix time
};

// Live workers, sorted by pid; stale records are removed.
std::vector<WorkerRecord> list_workers(const Home& home);

// Ends the workers with these pids (every live one when `pids` is empty):
// SIGTERM, then SIGKILL for any still alive after a short grace. A pid that
// is not a live worker of this home is an Error(not_found). Returns the
// workers that were stopped. Their owners see the next call start a new one.
std::vector<WorkerRecord> stop_workers(const Home& home, const std::vector<int>& pids);

}  // namespace omni::bubble
