#pragma once
// Where a matrix cell's test runs: a directory of its own under staging/, or
// (--worktree) a git worktree of the current project at one fixed commit, so
// cells never share a working directory. Removed afterwards unless kept.
#include <filesystem>
#include <optional>
#include <string>

#include "omni/home/home.hpp"
#include "omni/home/staging.hpp"

namespace omni::matrix {

struct GitProject {
    std::filesystem::path root;    // the repository's top level
    std::filesystem::path prefix;  // where the user stands, relative to root
    std::string commit;            // HEAD when the run started

    // The repository around `dir`, with stale worktrees of earlier, killed
    // runs pruned. Error(invalid_input) naming `dir` when it is not in one.
    static GitProject locate(const std::filesystem::path& dir);
};

class CellWorkspace {
  public:
    // A fresh directory for the cell; a checkout of `project` when given.
    // With `keep_at`, the directory is made there and left in place (a kept
    // worktree stays registered, for `git worktree remove` later).
    CellWorkspace(const Home& home, const std::string& cell_id, const GitProject* project,
                  const std::optional<std::filesystem::path>& keep_at);
    CellWorkspace(const CellWorkspace&) = delete;
    CellWorkspace& operator=(const CellWorkspace&) = delete;
    ~CellWorkspace();

    // Where the test starts: the directory, or the user's subdirectory of
    // the checkout.
    std::filesystem::path cwd() const;
    // The cell's own directory (it holds the checkout, when there is one).
    const std::filesystem::path& dir() const { return dir_; }
    // An empty directory for the test's temporary files, outside any checkout.
    std::filesystem::path temp() const { return dir_ / "tmp"; }
    // omni's own files for the cell (its sitecustomize, the evidence its
    // processes record), outside any checkout and apart from temp(), which
    // pytest empties.
    std::filesystem::path hooks() const { return dir_ / "omni-cell"; }

  private:
    const GitProject* project_;
    std::optional<StagingDir> staging_;
    std::filesystem::path dir_;
    std::filesystem::path checkout_;
    bool kept_ = false;
};

}  // namespace omni::matrix
