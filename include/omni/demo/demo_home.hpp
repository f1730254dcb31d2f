#pragma once
// Where a demo runs. By default a scratch home of its own, so that the
// user's setup stays byte-for-byte as it was; with --here the user's home,
// with what the demo adds undone at the end.
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "omni/home/home.hpp"
#include "omni/index/index_client.hpp"
#include "omni/python/registry.hpp"

namespace omni::demo {

// A fresh directory under $TMPDIR (omni-demo-N.XXXXXX) laid out as a home.
// The user's managed interpreters are visible through a link to their
// interpreters/ (read only: demos install none). Removed when destroyed
// unless kept. `user` is only looked at, never created or written.
class ScratchHome {
  public:
    static ScratchHome create(const Home& user, int demo_number);
    ScratchHome(ScratchHome&& other) noexcept;
    ScratchHome& operator=(ScratchHome&&) = delete;
    ScratchHome(const ScratchHome&) = delete;
    ~ScratchHome();

    const std::filesystem::path& root() const { return root_; }
    void keep() { kept_ = true; }

  private:
    explicit ScratchHome(std::filesystem::path root) : root_(std::move(root)) {}
    std::filesystem::path root_;
    bool kept_ = false;
};

// What a home holds that a demo may change: the global choice, the main
// envs and what is installed in each, the bubbles, the demo wheels.
struct HomeSnapshot {
    std::optional<nlohmann::json> active;                         // python.active
    std::map<std::filesystem::path, std::set<std::string>> envs;  // env -> dist names
    std::set<std::filesystem::path> bubbles;
    bool demo_wheels = false;
};
HomeSnapshot snapshot_home(const Home& home);

struct RestoreOutcome {
    std::vector<std::string> undone;  // one line per thing put back or removed
};
// Puts back python.active, uninstalls what was installed into envs that
// were there, and removes the envs, bubbles and demo wheels that were not.
RestoreOutcome restore_home(const Home& home, const HomeSnapshot& before,
                            python::Registry& registry, const IndexClient& index);

}  // namespace omni::demo
