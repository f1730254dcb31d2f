#include "omni/home/config.hpp"

#include <chrono>

#include <fmt/format.h>

#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"

namespace omni {

namespace {

using json = nlohmann::json;

struct LineColumn {
    std::size_t line = 1;
    std::size_t column = 1;
};

LineColumn locate(std::string_view text, std::size_t byte) {
    LineColumn at;
    for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++at.line;
            at.column = 1;
        } else {
            ++at.column;
        }
    }
    return at;
}

Error corrupt(const std::filesystem::path& file, std::string detail) {
    return Error(ErrorCode::corrupt_state,
                 fmt::format("config file '{}' is damaged: {}", file.string(), detail),
                 "run 'omni config repair' to restore the last good copy");
}

// Parses a config document; the error names `file` and the position.
Result<json> parse_document(std::string_view text, const std::filesystem::path& file) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        const auto at = locate(text, e.byte == 0 ? 0 : e.byte - 1);
        return std::unexpected(
            corrupt(file, fmt::format("invalid JSON at line {}, column {}", at.line, at.column)));
    }
    if (!doc.is_object() || !doc.contains("schema_version") ||
        !doc["schema_version"].is_number_integer() || !doc.contains("values") ||
        !doc["values"].is_object())
        return std::unexpected(
            corrupt(file, "expected an object with 'schema_version' and 'values'"));
    const int version = doc["schema_version"].get<int>();
    if (version > Config::schema_version)
        return std::unexpected(Error(
            ErrorCode::corrupt_state,
            fmt::format("config file '{}' has schema version {}, newer than this omni reads ({})",
                        file.string(), version, Config::schema_version),
            "upgrade omni"));
    return doc;
}

std::string serialize(const ConfigValues& values) {
    json doc = {{"schema_version", Config::schema_version}, {"values", values}};
    return doc.dump(2) + "\n";
}

// The text of config.json, or empty when there is none yet.
std::optional<std::string> read_if_exists(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        return std::nullopt;
    return fs::read_file(file);
}

}  // namespace

Result<std::string> validate_config_key(std::string_view key) {
    if (key.empty())
        return std::unexpected(parse_error("config key", key, 0, "empty key"));
    bool word_start = true;
    for (std::size_t i = 0; i < key.size(); ++i) {
        const char c = key[i];
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (c == '.') {
            if (word_start)
                return std::unexpected(parse_error("config key", key, i, "empty word"));
            word_start = true;
        } else if (alnum || ((c == '-' || c == '_') && !word_start)) {
            word_start = false;
        } else {
            return std::unexpected(
                parse_error("config key", key, i,
                            "keys are dotted lower-case words, e.g. 'heal.new-packages'"));
        }
    }
    if (word_start)
        return std::unexpected(parse_error("config key", key, key.size() - 1, "empty word"));
    return std::string(key);
}

nlohmann::json parse_config_value(std::string_view text) {
    json value = json::parse(text, nullptr, false);
    // A bare number that reads as a version ("3.10") must stay text, or it
    // would silently become 3.1.
    const bool looks_like_version =
        value.is_number_float() && text.find('.') != std::string_view::npos;
    if (value.is_discarded() || looks_like_version)
        return json(std::string(text));
    return value;
}

Config::Config(Home home, std::chrono::milliseconds lock_timeout)
    : home_(std::move(home)), lock_timeout_(lock_timeout) {}

std::filesystem::path Config::backup_file() const {
    return home_.root() / "config.json.bak";
}

ConfigValues Config::load() const {
    const auto text = read_if_exists(home_.config_file());
    if (!text)
        return json::object();
    auto doc = parse_document(*text, home_.config_file());
    if (!doc)
        throw doc.error();
    return std::move((*doc)["values"]);
}

std::optional<nlohmann::json> Config::get(std::string_view key) const {
    const auto values = load();
    const auto it = values.find(key);
    if (it == values.end())
        return std::nullopt;
    return *it;
}

void Config::transact(const std::function<void(ConfigValues&)>& change) {
    const auto lock =
        FileLock::acquire(home_.lock_file("config"), LockMode::exclusive, lock_timeout_);
    const auto text = read_if_exists(home_.config_file());
    ConfigValues values = json::object();
    if (text) {
        auto doc = parse_document(*text, home_.config_file());
        if (!doc)
            throw doc.error();
        values = std::move((*doc)["values"]);
    }
    change(values);
    const std::string updated = serialize(values);
    if (text && *text == updated)
        return;
    if (text)
        fs::atomic_write(backup_file(), *text);
    fs::atomic_write(home_.config_file(), updated);
}

void Config::set(std::string_view key, nlohmann::json value) {
    transact([&](ConfigValues& values) { values[std::string(key)] = std::move(value); });
}

bool Config::unset(std::string_view key) {
    bool removed = false;
    transact([&](ConfigValues& values) { removed = values.erase(std::string(key)) > 0; });
    return removed;
}

RepairOutcome Config::repair() {
    const auto lock =
        FileLock::acquire(home_.lock_file("config"), LockMode::exclusive, lock_timeout_);
    const auto file = home_.config_file();
    const auto text = read_if_exists(file);
    if (!text || parse_document(*text, file))
        return {RepairOutcome::Action::nothing_to_do, {}};

    // Keep the damaged file: nothing a user wrote is thrown away.
    const auto stamp = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    const auto corrupt_copy = home_.root() / fmt::format("config.json.corrupt.{}", stamp);
    fs::atomic_write(corrupt_copy, *text);

    const auto backup = read_if_exists(backup_file());
    if (backup && parse_document(*backup, backup_file())) {
        fs::atomic_write(file, *backup);
        return {RepairOutcome::Action::restored_backup, corrupt_copy};
    }
    fs::atomic_write(file, serialize(json::object()));
    return {RepairOutcome::Action::reset_to_empty, corrupt_copy};
}

}  // namespace omni
