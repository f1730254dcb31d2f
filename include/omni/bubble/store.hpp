#pragma once
// The bubble store under $OMNI_HOME/bubbles. A bubble at its final path is
// always complete: it is built in staging and published with one rename,
// and building one bubble is single-flight across threads and processes.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/bubble/bubble.hpp"
#include "omni/home/home.hpp"
#include "omni/util/file_lock.hpp"

namespace omni::bubble {

struct BubbleSpec {
    std::string env_key;
    std::string name;
    std::string version;
    std::string requirement;
    std::string variant;  // see BubbleInfo::variant
};

// Fills the staging directory (the future bubble root) and says what it put
// there. It must not write outside that directory.
using BubbleBuilder = std::function<std::vector<Distribution>(const std::filesystem::path& root)>;

struct EnsureResult {
    BubbleInfo info;
    bool built = false;  // false: it existed, or another process built it first
};

class BubbleStore {
  public:
    explicit BubbleStore(Home home);

    std::filesystem::path path_for(std::string_view env_key, std::string_view name,
                                   std::string_view version, std::string_view variant = {}) const;
    std::optional<BubbleInfo> find(std::string_view env_key, std::string_view name,
                                   std::string_view version, std::string_view variant = {}) const;
    // Every bubble, or those of one interpreter, sorted by env, name, version.
    std::vector<BubbleInfo> list(std::optional<std::string_view> env_key = std::nullopt) const;

    // Look, lock, look again, build, publish.
    EnsureResult ensure(const BubbleSpec& spec, const BubbleBuilder& build);

    // Takes the bubble out of sight with one rename, then deletes it.
    // Refused (Error(conflict) naming the bubble) while a running command
    // holds it (hold()): a running program never loses its bubble.
    bool remove(std::string_view env_key, std::string_view name, std::string_view version,
                std::string_view variant = {});

    // Builds the bubble again in staging and swaps the new copy in for the
    // old one in one step (RENAME_EXCHANGE: its path always holds a whole
    // bubble), then deletes the old copy. Refused like remove() while a
    // running command holds it. Returns the new copy's description.
    BubbleInfo replace(const BubbleInfo& bubble, const BubbleBuilder& build);

    // A shared hold on a bubble for as long as the returned lock lives, by a
    // command that runs a program with it active (locks/bubble-use-....lock).
    // The bubble is ensured again if it went between ensure and hold.
    FileLock hold(const BubbleInfo& bubble) const;
    // Whether a running command holds the bubble.
    bool in_use(const BubbleInfo& bubble) const;

  private:
    std::filesystem::path lock_path(const BubbleSpec& spec) const;
    std::filesystem::path use_lock_path(std::string_view env_key, std::string_view name,
                                        std::string_view version, std::string_view variant) const;
    Home home_;
};

}  // namespace omni::bubble
