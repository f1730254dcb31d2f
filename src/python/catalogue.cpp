#include "omni/python/catalogue.hpp"

#include <sys/utsname.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omni/python_downloads_json.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::python {

namespace {

using json = nlohmann::json;

bool is_hex64(std::string_view text) {
    return text.size() == 64 && std::ranges::all_of(text, [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

// The URL form of a file name: '+' is %2B in release download URLs.
std::string url_escape_name(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c == '+')
            out += "%2B";
        else
            out += c;
    }
    return out;
}

std::string required_string(const json& item, const char* key, std::size_t index) {
    const auto it = item.find(key);
    if (it == item.end() || !it->is_string() || it->get<std::string>().empty())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("download {} has no '{}' (a non-empty string)", index, key));
    return it->get<std::string>();
}

Download download_from_json(const json& item, std::size_t index) {
    if (!item.is_object())
        throw Error(ErrorCode::invalid_input, fmt::format("download {} is not an object", index));
    Download d;
    d.implementation = required_string(item, "implementation", index);
    const auto version_text = required_string(item, "version", index);
    auto version = PythonVersion::parse(version_text);
    if (!version)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("download {} has a bad version '{}'", index, version_text));
    d.version = *version;
    d.tag = required_string(item, "tag", index);
    d.arch = required_string(item, "arch", index);
    d.os = required_string(item, "os", index);
    d.libc = required_string(item, "libc", index);
    d.variant = required_string(item, "variant", index);
    d.filename = required_string(item, "filename", index);
    d.url = required_string(item, "url", index);
    d.sha256 = required_string(item, "sha256", index);
    if (!is_hex64(d.sha256))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("download {} ({}) has a bad sha256 '{}': 64 lower-case hex "
                                "digits expected",
                                index, d.filename, d.sha256));
    if (d.filename.find('/') != std::string::npos || d.tag.find('/') != std::string::npos)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("download {} has a '/' in its tag or filename", index));
    if (auto it = item.find("free_threaded"); it != item.end() && it->is_boolean())
        d.free_threaded = it->get<bool>();
    if (auto it = item.find("size"); it != item.end() && it->is_number_unsigned())
        d.size = it->get<std::uint64_t>();
    if (auto it = item.find("prerelease"); it != item.end()) {
        if (!it->is_boolean() || it->get<bool>() != d.prerelease())
            throw Error(ErrorCode::invalid_input,
                        fmt::format("download {} ({}) has 'prerelease' {} but version {}", index,
                                    d.filename, it->dump(), d.version.str()));
    }
    return d;
}

json download_to_json(const Download& d) {
    json item = {{"implementation", d.implementation},
                 {"version", d.version.str()},
                 {"tag", d.tag},
                 {"arch", d.arch},
                 {"os", d.os},
                 {"libc", d.libc},
                 {"variant", d.variant},
                 {"filename", d.filename},
                 {"url", d.url},
                 {"sha256", d.sha256}};
    if (d.free_threaded)
        item["free_threaded"] = true;
    if (d.prerelease())
        item["prerelease"] = true;
    if (d.size != 0)
        item["size"] = d.size;
    return item;
}

int variant_rank(std::string_view variant) {
    if (variant == "install_only")
        return 0;
    if (variant == "install_only_stripped")
        return 1;
    return 2;
}

// Newest first, the GIL build before the free-threaded one, then the
// preferred variant and the newest tag.
bool better(const Download& a, const Download& b) {
    if (a.version != b.version)
        return a.version > b.version;
    if (a.free_threaded != b.free_threaded)
        return !a.free_threaded;
    if (variant_rank(a.variant) != variant_rank(b.variant))
        return variant_rank(a.variant) < variant_rank(b.variant);
    return a.tag > b.tag;
}

bool fits(const Download& d, const Platform& platform) {
    return d.os == platform.os && d.arch == platform.arch && d.libc == platform.libc &&
           installable_variant(d.variant);
}

InterpreterInfo as_info(const Download& d) {
    InterpreterInfo info;
    info.implementation = d.implementation;
    info.version = d.version;
    info.free_threaded = d.free_threaded;
    return info;
}

}  // namespace

std::string Download::install_name() const {
    return fmt::format("{}-{}{}-{}-{}-{}", implementation, version.str(), free_threaded ? "t" : "",
                       os, arch, libc);
}

std::string Download::url_via(std::string_view mirror) const {
    if (mirror.empty())
        return url;
    std::string base(mirror);
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return fmt::format("{}/{}/{}", base, tag, url_escape_name(filename));
}

std::string Download::describe() const {
    return fmt::format("{} {}{} ({}{} {} {}, {}, {})", implementation, version.str(),
                       free_threaded ? "t" : "", prerelease() ? "pre-release, " : "", os, arch,
                       libc, variant, tag);
}

Result<Catalogue> Catalogue::parse(std::string_view text, std::string_view origin) {
    const auto bad = [&](const std::string& why) {
        return std::unexpected(Error(ErrorCode::invalid_input,
                                     fmt::format("python download catalogue '{}': {}", origin, why),
                                     "run 'omni python update-catalogue' or fix the file"));
    };
    const json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded())
        return bad("not valid JSON");
    if (!doc.is_object() || !doc.contains("downloads") || !doc["downloads"].is_array())
        return bad("expected an object with a 'downloads' array");
    if (auto v = doc.find("schema_version");
        v != doc.end() && v->is_number_integer() && v->get<int>() > 1)
        return bad(
            fmt::format("schema version {} is newer than this omni reads (1)", v->get<int>()));
    Catalogue catalogue;
    catalogue.origin = std::string(origin);
    std::size_t index = 0;
    try {
        for (const auto& item : doc["downloads"])
            catalogue.downloads.push_back(download_from_json(item, index++));
    } catch (const Error& e) {
        return bad(e.what());
    }
    return catalogue;
}

std::string Catalogue::to_json() const {
    json items = json::array();
    for (const auto& d : downloads)
        items.push_back(download_to_json(d));
    json doc = {{"schema_version", 1},
                {"source", "https://github.com/astral-sh/python-build-standalone/releases"},
                {"downloads", std::move(items)}};
    return doc.dump(1) + "\n";
}

Platform Platform::current() {
    Platform platform;
    struct utsname name {};
    if (::uname(&name) == 0)
        platform.arch = name.machine;
    if (platform.arch == "arm64")
        platform.arch = "aarch64";
    if (platform.arch == "amd64")
        platform.arch = "x86_64";
#if defined(__APPLE__)
    platform.os = "macos";
    platform.libc = "none";
#elif defined(__GLIBC__)
    platform.libc = "gnu";
#else
    platform.libc = "musl";
#endif
    return platform;
}

std::string Platform::describe() const {
    return fmt::format("{} {} {}", os, arch, libc);
}

bool installable_variant(std::string_view variant) {
    return variant_rank(variant) < 2;
}

std::vector<Download> available_downloads(const Catalogue& catalogue, const Platform& platform) {
    std::vector<Download> fitting;
    for (const auto& d : catalogue.downloads)
        if (fits(d, platform))
            fitting.push_back(d);
    std::ranges::sort(fitting, better);
    std::vector<Download> out;
    std::set<std::string> seen;
    for (auto& d : fitting)
        if (seen.insert(d.install_name()).second)
            out.push_back(std::move(d));
    return out;
}

Result<Download> select_download(const Catalogue& catalogue, const PythonRequest& request,
                                 const Platform& platform) {
    if (request.is_path())
        return std::unexpected(Error(
            ErrorCode::invalid_input,
            fmt::format("'{}' is a path; omni installs versions such as 3.12", request.text)));
    const auto available = available_downloads(catalogue, platform);
    const bool prerelease_named = request.names_prerelease();
    const Download* newest_prerelease = nullptr;
    for (const auto& d : available) {
        if (d.free_threaded != request.free_threaded || !request.matches(as_info(d)))
            continue;
        if (d.prerelease() && !prerelease_named) {
            if (newest_prerelease == nullptr)
                newest_prerelease = &d;
            continue;
        }
        return d;
    }
    if (newest_prerelease != nullptr) {
        const auto name = newest_prerelease->version.str() + (request.free_threaded ? "t" : "");
        return std::unexpected(
            Error(ErrorCode::not_found,
                  fmt::format("no final release matches {} for {}; {} is a pre-release, "
                              "installed only when asked for by name",
                              request.text, platform.describe(), name),
                  fmt::format("'omni python install {}' installs the pre-release", name)));
    }
    // The newest final of each minor version, to keep the list short, and
    // the newest pre-release of a minor without a final one.
    std::string listed;
    std::string prereleases;
    std::set<std::pair<std::string, bool>> finals;
    std::set<std::pair<std::string, bool>> previews;
    for (const auto& d : available) {
        const std::pair key{d.version.major_minor(), d.free_threaded};
        if (!d.prerelease() && finals.insert(key).second) {
            listed += listed.empty() ? "" : ", ";
            listed += d.version.str() + (d.free_threaded ? "t" : "");
        }
    }
    for (const auto& d : available) {
        const std::pair key{d.version.major_minor(), d.free_threaded};
        if (d.prerelease() && !finals.contains(key) && previews.insert(key).second) {
            prereleases += prereleases.empty() ? "" : ", ";
            prereleases += d.version.str() + (d.free_threaded ? "t" : "");
        }
    }
    if (!prereleases.empty())
        listed += (listed.empty() ? "" : "; ") + ("pre-releases, by name: " + prereleases);
    return std::unexpected(Error(
        ErrorCode::not_found,
        fmt::format("no python-build-standalone download matches {} for {}; available: {}",
                    request.text, platform.describe(), listed.empty() ? "none" : listed),
        "run 'omni python update-catalogue' for newer releases, or name an available version"));
}

std::filesystem::path home_catalogue_file(const Home& home) {
    return home.root() / "python-downloads.json";
}

Catalogue builtin_catalogue() {
    auto catalogue = Catalogue::parse(python_downloads_json, "built-in");
    if (!catalogue)
        throw Error(ErrorCode::internal, catalogue.error().what());
    return std::move(*catalogue);
}

Catalogue load_catalogue(const Home& home) {
    std::filesystem::path file;
    if (const char* env = std::getenv("OMNI_PYTHON_CATALOGUE"); env != nullptr && *env != '\0')
        file = env;
    else if (std::error_code ec; std::filesystem::exists(home_catalogue_file(home), ec))
        file = home_catalogue_file(home);
    if (file.empty())
        return builtin_catalogue();
    auto catalogue = Catalogue::parse(fs::read_file(file), file.string());
    if (!catalogue)
        throw catalogue.error();
    logger().debug("python downloads from {} ({} entries)", file.string(),
                   catalogue->downloads.size());
    return std::move(*catalogue);
}

}  // namespace omni::python
