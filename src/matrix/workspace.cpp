#include "omni/matrix/workspace.hpp"

#include <mutex>

#include <fmt/format.h>

#include "omni/util/error.hpp"
#include "omni/util/log.hpp"
#include "omni/util/process.hpp"

namespace omni::matrix {

namespace stdfs = std::filesystem;

namespace {

// Worktree additions and removals write the same .git/worktrees directory;
// cells of one run take turns, other processes rely on git's own locks.
std::mutex git_admin_mutex;

ProcessResult git(const stdfs::path& root, std::vector<std::string> args) {
    ProcessOptions options;
    options.argv = {"git", "-C", root.string()};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    return run_process(options);
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    return text;
}

}  // namespace

GitProject GitProject::locate(const stdfs::path& dir) {
    const std::string hint = "run omni matrix --worktree inside a git checkout with a commit";
    if (find_program("git").empty())
        throw Error(ErrorCode::not_found, "--worktree needs git, which is not on PATH",
                    "install git (apt-get install git)");
    const auto top = git(dir, {"rev-parse", "--show-toplevel"});
    if (!top.ok())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("'{}' is not inside a git repository", dir.string()), hint);
    const auto head = git(dir, {"rev-parse", "--verify", "HEAD"});
    if (!head.ok())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("the git repository at '{}' has no commit yet", trimmed(top.out)),
                    hint);
    GitProject project;
    project.root = trimmed(top.out);
    project.prefix = trimmed(git(dir, {"rev-parse", "--show-prefix"}).out);
    project.commit = trimmed(head.out);
    std::lock_guard lock(git_admin_mutex);
    git(project.root, {"worktree", "prune"});
    return project;
}

CellWorkspace::CellWorkspace(const Home& home, const std::string& cell_id,
                             const GitProject* project, const std::optional<stdfs::path>& keep_at)
    : project_(project) {
    if (keep_at) {
        dir_ = *keep_at;
        kept_ = true;
        stdfs::remove_all(dir_);
        stdfs::create_directories(dir_);
    } else {
        staging_.emplace(StagingDir::create(home, "matrix-" + cell_id));
        dir_ = staging_->path();
    }
    stdfs::create_directories(temp());
    stdfs::create_directories(hooks());
    if (!project_)
        return;
    // git names a worktree after its directory: a unique name avoids its
    // name-collision retries when other processes add worktrees too.
    checkout_ = dir_ / ("checkout-" + dir_.filename().string());
    std::lock_guard lock(git_admin_mutex);
    const auto added =
        git(project_->root, {"worktree", "add", "--detach", checkout_.string(), project_->commit});
    if (!added.ok())
        throw Error(ErrorCode::process,
                    fmt::format("git worktree add for cell {} failed: {}", cell_id,
                                trimmed(added.err.empty() ? added.out : added.err)));
}

CellWorkspace::~CellWorkspace() {
    if (!project_ || kept_)
        return;
    try {
        std::lock_guard lock(git_admin_mutex);
        const auto removed =
            git(project_->root, {"worktree", "remove", "--force", checkout_.string()});
        if (!removed.ok())
            logger().warn("git worktree remove {}: {}", checkout_.string(), trimmed(removed.err));
    } catch (const std::exception& e) {
        logger().warn("git worktree remove {}: {}", checkout_.string(), e.what());
    }
}

stdfs::path CellWorkspace::cwd() const {
    return project_ ? checkout_ / project_->prefix : dir_;
}

}  // namespace omni::matrix
