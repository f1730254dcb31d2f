#pragma once
// Changes of an environment (a main env or a venv) as transactions.
//
// Every change holds the env's own lock, <env>/.omni/lock, so every omni
// process that targets the env sees it, whatever its OMNI_HOME. Under the
// lock a journal (<env>/.omni/journal.json) names every file the change
// moves aside and creates before the first is touched; the files of replaced
// distributions are moved into <env>/.omni/txn/<id>/ (same file system) and
// deleted only after the commit, which is one rename of the journal. A crash
// at any instant leaves a journal the next locker rolls back (not yet
// committed: new files removed, old ones moved back) or forward (committed:
// the moved-aside files deleted). Each committed change leaves a record in
// <env>/.omni/history/. docs/ARCHITECTURE.md describes the formats.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "omni/install/env_history.hpp"
#include "omni/install/installed.hpp"
#include "omni/install/installer.hpp"
#include "omni/util/file_lock.hpp"

namespace omni::install {

// <env>/.omni, the env's own state directory.
std::filesystem::path env_state_dir(const std::filesystem::path& env_root);

enum class Recovery { none, rolled_back, rolled_forward };

// The exclusive lock of one env. Acquiring it finishes (or undoes) the
// change a dead process left behind, so a holder always sees a whole env.
class EnvLock {
  public:
    static EnvLock acquire(const std::filesystem::path& env_root,
                           std::chrono::milliseconds timeout = std::chrono::minutes(10));

    const std::filesystem::path& env_root() const { return env_root_; }
    // What acquiring did to a journal left behind.
    Recovery recovered() const { return recovered_; }

  private:
    EnvLock(std::filesystem::path env_root, FileLock lock)
        : env_root_(std::move(env_root)), lock_(std::move(lock)) {}
    std::filesystem::path env_root_;
    FileLock lock_;
    Recovery recovered_ = Recovery::none;
};

// Whether a change of the env was interrupted (a journal is there).
bool has_pending_journal(const std::filesystem::path& env_root);
// Takes the lock and recovers when a journal is there; cheap when none is.
Recovery recover_if_pending(const std::filesystem::path& env_root);

struct WheelInstall {
    const UnpackedWheel* wheel = nullptr;
    InstallOptions options;
};

struct EnvChange {
    std::filesystem::path library;      // site-packages: where RECORD paths start
    std::vector<InstalledDist> remove;  // whole distributions (phantoms too)
    std::vector<WheelInstall> install;
    std::string command;  // for the history record; empty: this process's command line
};

struct AppliedChange {
    std::vector<InstalledDistribution> installed;
    std::vector<InstalledDist> removed;
    std::vector<std::string> refused;  // RECORD lines pointing outside the env, left alone
    std::string id;                    // the transaction's id, its history record's name
};

// Applies the change under `lock`. Everything that can be checked is checked
// before the env is touched (a path another distribution owns is a conflict
// error); a failure while applying rolls back, so the env is as it was.
AppliedChange apply_change(const EnvLock& lock, const InstallTarget& target,
                           const EnvChange& change);

}  // namespace omni::install
