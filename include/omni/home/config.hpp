#pragma once
// config.json: settings as dotted keys ("python.active") with JSON values.
// Readers take no lock and see a whole file; every change is one transaction
// under locks/config.lock, written atomically, with the previous good copy
// kept as config.json.bak for `omni config repair`.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "omni/home/home.hpp"
#include "omni/util/error.hpp"

namespace omni {

// Key -> value, kept sorted.
using ConfigValues = nlohmann::json;

struct RepairOutcome {
    enum class Action { nothing_to_do, restored_backup, reset_to_empty } action;
    std::filesystem::path corrupt_copy;  // where the broken file was moved
};

class Config {
  public:
    static constexpr int schema_version = 1;

    explicit Config(Home home, std::chrono::milliseconds lock_timeout = std::chrono::seconds(60));

    // The current values. Throws Error(corrupt_state) naming the file and the
    // position when config.json does not parse.
    ConfigValues load() const;
    std::optional<nlohmann::json> get(std::string_view key) const;

    // Runs `change` on the current values under the exclusive lock and writes
    // the result. Nothing is written when `change` throws.
    void transact(const std::function<void(ConfigValues&)>& change);
    void set(std::string_view key, nlohmann::json value);
    bool unset(std::string_view key);  // false when the key was not set

    RepairOutcome repair();

    std::filesystem::path backup_file() const;

  private:
    Home home_;
    std::chrono::milliseconds lock_timeout_;
};

// Keys are dotted lower-case words: "heal.new-packages". Error says why not.
Result<std::string> validate_config_key(std::string_view key);

// A value as typed on a command line: JSON when it parses as JSON, otherwise
// the plain string ("3.9" stays a string, as a user means it).
nlohmann::json parse_config_value(std::string_view text);

}  // namespace omni
