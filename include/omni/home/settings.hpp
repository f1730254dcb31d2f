#pragma once
// omni's settings with their sources, first that has a value wins:
//   the command line > OMNI_* variables > config.json > PIP_* / UV_* (and
//   the CA-bundle variables) > pip.conf > the default.
// Each value says where it came from (`omni config list --show-origin`).
// The known keys and their values are checked; an unusable value from the
// environment or pip.conf is one error naming the variable or file line.
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "omni/home/home.hpp"
#include "omni/home/pip_conf.hpp"
#include "omni/util/error.hpp"

namespace omni {

enum class SettingKind { text, url, path, list, boolean, integer, choice };

struct SettingSpec {
    std::string_view key;  // "index.url"
    SettingKind kind;
    std::string_view omni_variable;                // "OMNI_INDEX_URL" or ""
    std::vector<std::string_view> tool_variables;  // PIP_* / UV_*, first set wins
    std::string_view pip_conf_key;                 // "index-url" or ""
    std::vector<std::string_view> choices;         // for SettingKind::choice
    std::string_view description;
};

// Every key omni knows, sorted by key.
std::span<const SettingSpec> known_settings();
const SettingSpec* find_setting(std::string_view key);

// A value for `spec` from text (a variable, a pip.conf line, a command line):
// lists split on whitespace, booleans as pip reads them (1/0, true/false,
// yes/no, on/off). Error names `origin` and says what is expected.
Result<nlohmann::json> setting_from_text(const SettingSpec& spec, std::string_view text,
                                         std::string_view origin);
// Checks a JSON value (from `config set` or config.json) for `spec`.
Result<nlohmann::json> check_setting(const SettingSpec& spec, const nlohmann::json& value,
                                     std::string_view origin);

enum class SettingLayer { command_line, omni_variable, config, tool_variable, pip_conf, fallback };
std::string_view to_string(SettingLayer layer);

struct Setting {
    std::string key;
    nlohmann::json value;
    SettingLayer layer = SettingLayer::fallback;
    std::string origin;  // "PIP_INDEX_URL", "/etc/pip.conf:3 [global] index-url", ...
};

struct SettingsInputs {
    std::map<std::string, nlohmann::json> command_line;  // key -> value
    EnvLookup environment = process_environment();
    // pip.conf files; nullopt: pip's own locations for `environment`.
    std::optional<std::vector<std::filesystem::path>> pip_conf_files;
};

class Settings {
  public:
    // Reads every layer once. Throws for a damaged config.json, a pip.conf
    // that does not parse, or a value of a known key that is not usable.
    static Settings gather(const Home& home, const SettingsInputs& inputs);

    // The winning value of a key; nullopt when no layer sets it.
    const Setting* get(std::string_view key) const;
    std::optional<std::string> text(std::string_view key) const;
    std::vector<std::string> list(std::string_view key) const;
    bool flag(std::string_view key) const;

    // Every key some layer sets, winners only, sorted by key.
    std::vector<Setting> all() const;

  private:
    std::map<std::string, Setting, std::less<>> values_;
};

}  // namespace omni
