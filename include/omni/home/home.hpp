#pragma once
// The on-disk home of omni ($OMNI_HOME, default ~/.omni) and its layout.
#include <cstddef>
#include <filesystem>
#include <string_view>

namespace omni {

class Home {
  public:
    explicit Home(std::filesystem::path root);
    // $OMNI_HOME, else $HOME/.omni.
    static Home from_environment();

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path config_file() const { return root_ / "config.json"; }
    std::filesystem::path registry_file() const { return root_ / "registry.json"; }
    std::filesystem::path locks_dir() const { return root_ / "locks"; }
    // locks/<name>.lock
    std::filesystem::path lock_file(std::string_view name) const;
    std::filesystem::path interpreters_dir() const { return root_ / "interpreters"; }
    std::filesystem::path bin_dir() const { return root_ / "bin"; }
    std::filesystem::path envs_dir() const { return root_ / "envs"; }
    std::filesystem::path bubbles_dir() const { return root_ / "bubbles"; }
    std::filesystem::path cache_dir() const { return root_ / "cache"; }
    std::filesystem::path staging_dir() const { return root_ / "staging"; }

    // Creates the directories of the layout. Throws an Error naming the home
    // and what to do when it cannot be created or written.
    void ensure_layout() const;

    // Removes a tree that lies strictly inside the home; refuses (Error
    // internal) anything else, whatever the path was built from.
    std::size_t remove_tree(const std::filesystem::path& path) const;
    bool contains(const std::filesystem::path& path) const;

  private:
    std::filesystem::path root_;
};

}  // namespace omni
