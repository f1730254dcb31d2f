#include "omni/home/settings.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "omni/home/config.hpp"

namespace omni {

namespace {

using K = SettingKind;

// Sorted by key.
const std::vector<SettingSpec>& table() {
    static const std::vector<SettingSpec> specs = {
        {"heal.new-packages",
         K::choice,
         "",
         {},
         "",
         {"allow", "ask", "deny"},
         "whether healing may install packages new to this machine"},
        {"index.cert",
         K::path,
         "OMNI_CERT",
         {"PIP_CERT", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"},
         "cert",
         {},
         "CA bundle (PEM) for HTTPS, instead of the system's"},
        {"index.cert-dir",
         K::path,
         "OMNI_CERT_DIR",
         {"SSL_CERT_DIR"},
         "",
         {},
         "directory of CA certificates (hashed names, as openssl rehash makes)"},
        {"index.extra-urls",
         K::list,
         "OMNI_EXTRA_INDEX_URL",
         {"PIP_EXTRA_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_INDEX"},
         "extra-index-url",
         {},
         "more indexes, searched after index.url"},
        {"index.find-links",
         K::list,
         "OMNI_FIND_LINKS",
         {"PIP_FIND_LINKS", "UV_FIND_LINKS"},
         "find-links",
         {},
         "directories or pages of wheels"},
        {"index.no-index",
         K::boolean,
         "OMNI_NO_INDEX",
         {"PIP_NO_INDEX", "UV_NO_INDEX"},
         "no-index",
         {},
         "use only index.find-links"},
        {"index.offline",
         K::boolean,
         "OMNI_OFFLINE",
         {"UV_OFFLINE"},
         "",
         {},
         "use only what the cache holds"},
        {"index.proxy",
         K::url,
         "OMNI_PROXY",
         {"PIP_PROXY"},
         "proxy",
         {},
         "proxy for every request (else http_proxy/HTTPS_PROXY/NO_PROXY)"},
        {"index.url",
         K::url,
         "OMNI_INDEX_URL",
         {"PIP_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX_URL"},
         "index-url",
         {},
         "the package index (PEP 503/691)"},
        {"install.link-mode",
         K::choice,
         "OMNI_LINK_MODE",
         {"UV_LINK_MODE"},
         "",
         {},
         "how files reach an env: copy, hardlink, symlink or clone"},
        {"install.pre",
         K::boolean,
         "OMNI_PRE",
         {"PIP_PRE"},
         "pre",
         {},
         "allow pre-releases everywhere (--pre)"},
        {"install.require-hashes",
         K::boolean,
         "OMNI_REQUIRE_HASHES",
         {"PIP_REQUIRE_HASHES", "UV_REQUIRE_HASHES"},
         "require-hashes",
         {},
         "hash-checking mode for every install (--require-hashes)"},
        {"install.upgrade-strategy",
         K::choice,
         "",
         {"PIP_UPGRADE_STRATEGY"},
         "upgrade-strategy",
         {"eager", "only-if-needed"},
         "what -U upgrades: the named packages or all"},
        {"matrix.jobs", K::integer, "", {}, "", {}, "matrix worker threads"},
        {"python.active", K::text, "", {}, "", {}, "the active interpreter (omni swap python)"},
    };
    return specs;
}

const std::vector<std::string_view> link_modes = {"clone", "copy", "hardlink", "symlink"};

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(first, last - first + 1));
}

bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::vector<std::string_view> choices_of(const SettingSpec& spec) {
    return spec.key == "install.link-mode" ? link_modes : spec.choices;
}

// uv's `name=url` index entries: the name is dropped.
std::string without_index_name(std::string item) {
    const auto eq = item.find('=');
    const auto scheme = item.find("://");
    if (eq != std::string::npos && (scheme == std::string::npos || eq < scheme))
        item.erase(0, eq + 1);
    return item;
}

Error bad(std::string_view origin, std::string_view key, std::string_view got,
          std::string_view expected) {
    return Error(ErrorCode::invalid_input,
                 fmt::format("{}: '{}' for {} is not {}", origin, std::string(got.substr(0, 200)),
                             key, expected),
                 fmt::format("give {}", expected));
}

Result<std::string> check_url(const SettingSpec& spec, const std::string& text,
                              std::string_view origin) {
    const auto item = without_index_name(text);
    if (has_control(item) || !(item.starts_with("http://") || item.starts_with("https://") ||
                               item.starts_with("file://")))
        return std::unexpected(bad(origin, spec.key, text, "an http://, https:// or file:// URL"));
    return item;
}

}  // namespace

std::span<const SettingSpec> known_settings() {
    return table();
}

const SettingSpec* find_setting(std::string_view key) {
    for (const auto& s : table())
        if (s.key == key)
            return &s;
    return nullptr;
}

Result<nlohmann::json> check_setting(const SettingSpec& spec, const nlohmann::json& value,
                                     std::string_view origin) {
    switch (spec.kind) {
        case K::boolean:
            if (value.is_boolean())
                return value;
            if (value.is_string())
                return setting_from_text(spec, value.get<std::string>(), origin);
            return std::unexpected(bad(origin, spec.key, value.dump(), "true or false"));
        case K::integer:
            if (value.is_number_integer() && value.get<long long>() > 0)
                return value;
            return std::unexpected(bad(origin, spec.key, value.dump(), "a positive whole number"));
        case K::list: {
            nlohmann::json out = nlohmann::json::array();
            if (value.is_string())
                return setting_from_text(spec, value.get<std::string>(), origin);
            if (!value.is_array())
                return std::unexpected(
                    bad(origin, spec.key, value.dump(), "a list of strings (JSON array)"));
            for (const auto& item : value) {
                if (!item.is_string() || item.get<std::string>().empty() ||
                    has_control(item.get<std::string>()))
                    return std::unexpected(
                        bad(origin, spec.key, value.dump(), "a list of non-empty strings"));
                std::string text = item.get<std::string>();
                if (spec.key == "index.extra-urls") {
                    auto url = check_url(spec, text, origin);
                    if (!url)
                        return std::unexpected(url.error());
                    text = *url;
                }
                out.push_back(text);
            }
            return out;
        }
        default:
            if (!value.is_string())
                return std::unexpected(bad(origin, spec.key, value.dump(), "a string"));
            return setting_from_text(spec, value.get<std::string>(), origin);
    }
}

Result<nlohmann::json> setting_from_text(const SettingSpec& spec, std::string_view raw,
                                         std::string_view origin) {
    const auto text = trim(raw);
    switch (spec.kind) {
        case K::boolean: {
            std::string t = text;
            for (auto& c : t)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            for (const char* yes : {"1", "true", "yes", "on", "y", "t"})
                if (t == yes)
                    return true;
            for (const char* no : {"0", "false", "no", "off", "n", "f"})
                if (t == no)
                    return false;
            return std::unexpected(bad(origin, spec.key, text, "true or false (1/0, yes/no)"));
        }
        case K::integer: {
            long long n = 0;
            const auto* end = text.data() + text.size();
            const auto [ptr, ec] = std::from_chars(text.data(), end, n);
            if (ec != std::errc() || ptr != end || n <= 0)
                return std::unexpected(bad(origin, spec.key, text, "a positive whole number"));
            return n;
        }
        case K::list: {
            nlohmann::json out = nlohmann::json::array();
            std::size_t i = 0;
            while (i < text.size()) {
                while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
                    ++i;
                std::size_t j = i;
                while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])))
                    ++j;
                if (j > i)
                    out.push_back(text.substr(i, j - i));
                i = j;
            }
            return check_setting(spec, out, origin);
        }
        case K::url: {
            auto url = check_url(spec, text, origin);
            if (!url)
                return std::unexpected(url.error());
            return *url;
        }
        case K::path:
            if (text.empty() || has_control(text))
                return std::unexpected(bad(origin, spec.key, text, "a file path"));
            return text;
        case K::choice: {
            const auto choices = choices_of(spec);
            if (std::find(choices.begin(), choices.end(), text) == choices.end())
                return std::unexpected(bad(origin, spec.key, text,
                                           fmt::format("one of {}", fmt::join(choices, ", "))));
            return text;
        }
        case K::text:
            if (has_control(text))
                return std::unexpected(bad(origin, spec.key, text, "plain text"));
            return text;
    }
    return text;
}

std::string_view to_string(SettingLayer layer) {
    switch (layer) {
        case SettingLayer::command_line:
            return "command line";
        case SettingLayer::omni_variable:
            return "OMNI_* variable";
        case SettingLayer::config:
            return "omni config";
        case SettingLayer::tool_variable:
            return "PIP_*/UV_* variable";
        case SettingLayer::pip_conf:
            return "pip.conf";
        case SettingLayer::fallback:
            return "default";
    }
    return "default";
}

Settings Settings::gather(const Home& home, const SettingsInputs& inputs) {
    Settings out;
    const auto offer = [&out](const std::string& key, nlohmann::json value, SettingLayer layer,
                              std::string origin) {
        auto it = out.values_.find(key);
        if (it != out.values_.end() && it->second.layer <= layer)
            return;
        out.values_[key] = Setting{key, std::move(value), layer, std::move(origin)};
    };
    const auto must = [](Result<nlohmann::json> r) {
        if (!r)
            throw r.error();
        return *r;
    };
    for (const auto& [key, value] : inputs.command_line) {
        const auto* spec = find_setting(key);
        offer(key, spec ? must(check_setting(*spec, value, "the command line")) : value,
              SettingLayer::command_line, "command line");
    }
    for (const auto& spec : table()) {
        const std::string key(spec.key);
        if (!spec.omni_variable.empty())
            if (auto v = inputs.environment(std::string(spec.omni_variable).c_str()))
                offer(key, must(setting_from_text(spec, *v, spec.omni_variable)),
                      SettingLayer::omni_variable, std::string(spec.omni_variable));
        for (const auto variable : spec.tool_variables)
            if (auto v = inputs.environment(std::string(variable).c_str())) {
                offer(key, must(setting_from_text(spec, *v, variable)), SettingLayer::tool_variable,
                      std::string(variable));
                break;
            }
    }
    const auto config = Config(home).load();
    for (const auto& [key, value] : config.items()) {
        const auto* spec = find_setting(key);
        const auto origin = fmt::format("{} ({})", home.root().string() + "/config.json", key);
        offer(key, spec ? must(check_setting(*spec, value, origin)) : value, SettingLayer::config,
              home.root().string() + "/config.json");
    }
    const auto files =
        inputs.pip_conf_files ? *inputs.pip_conf_files : pip_conf_locations(inputs.environment);
    const auto conf = read_pip_conf(files);
    for (const auto& spec : table()) {
        if (spec.pip_conf_key.empty())
            continue;
        if (auto it = conf.find(std::string(spec.pip_conf_key)); it != conf.end())
            offer(std::string(spec.key),
                  must(setting_from_text(spec, it->second.value, it->second.origin)),
                  SettingLayer::pip_conf, it->second.origin);
    }
    return out;
}

const Setting* Settings::get(std::string_view key) const {
    auto it = values_.find(key);
    return it == values_.end() ? nullptr : &it->second;
}

std::optional<std::string> Settings::text(std::string_view key) const {
    const auto* s = get(key);
    if (s == nullptr || !s->value.is_string())
        return std::nullopt;
    return s->value.get<std::string>();
}

std::vector<std::string> Settings::list(std::string_view key) const {
    std::vector<std::string> out;
    const auto* s = get(key);
    if (s == nullptr)
        return out;
    if (s->value.is_string())
        out.push_back(s->value.get<std::string>());
    else if (s->value.is_array())
        for (const auto& item : s->value)
            if (item.is_string())
                out.push_back(item.get<std::string>());
    return out;
}

bool Settings::flag(std::string_view key) const {
    const auto* s = get(key);
    return s != nullptr && s->value.is_boolean() && s->value.get<bool>();
}

std::vector<Setting> Settings::all() const {
    std::vector<Setting> out;
    for (const auto& [key, s] : values_)
        out.push_back(s);
    return out;
}

}  // namespace omni
