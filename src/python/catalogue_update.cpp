// `omni python update-catalogue`: the releases API of python-build-standalone
// turned into our catalogue.
#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omni/home/staging.hpp"
#include "omni/index/downloader.hpp"
#include "omni/python/catalogue.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::python {

namespace {

using json = nlohmann::json;

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        const auto at = text.find(sep, start);
        out.push_back(text.substr(start, at - start));
        if (at == std::string_view::npos)
            return out;
        start = at + 1;
    }
}

// "<sha256>  <name>" lines.
std::map<std::string, std::string> parse_sums(std::string_view text) {
    std::map<std::string, std::string> out;
    for (auto line : split(text, '\n')) {
        const auto space = line.find(' ');
        if (space != 64)
            continue;
        auto name = line.substr(space);
        while (!name.empty() && (name.front() == ' ' || name.front() == '*'))
            name.remove_prefix(1);
        while (!name.empty() && (name.back() == '\r' || name.back() == ' '))
            name.remove_suffix(1);
        out[std::string(name)] = std::string(line.substr(0, 64));
    }
    return out;
}

std::string fetch_text(const Downloader& downloader, const std::string& url,
                       const std::filesystem::path& dest) {
    downloader.fetch({url, dest, std::nullopt, {}});
    auto text = fs::read_file(dest);
    std::error_code ec;
    std::filesystem::remove(dest, ec);
    return text;
}

std::string with_page(const std::string& url, int page) {
    const char sep = url.find('?') == std::string::npos ? '?' : '&';
    return fmt::format("{}{}per_page=100&page={}", url, sep, page);
}

}  // namespace

bool parse_pbs_filename(std::string_view filename, std::string_view tag, Download& out) {
    std::string_view stem = filename;
    if (stem.ends_with(".tar.gz"))
        stem.remove_suffix(7);
    else if (stem.ends_with(".tar.zst"))
        stem.remove_suffix(8);
    else
        return false;
    // cpython-3.12.7+20241016-x86_64-unknown-linux-gnu-install_only
    const auto parts = split(stem, '-');
    if (parts.size() < 7 || parts[0] != "cpython" || parts[3] != "unknown" || parts[4] != "linux")
        return false;
    auto version_text = parts[1];
    if (const auto plus = version_text.find('+'); plus != std::string_view::npos)
        version_text = version_text.substr(0, plus);
    auto version = PythonVersion::parse(version_text);
    if (!version)
        return false;
    std::string variant;
    for (std::size_t i = 6; i < parts.size(); ++i)
        variant += (variant.empty() ? "" : "-") + std::string(parts[i]);
    out.free_threaded = false;
    if (variant.starts_with("freethreaded-")) {
        out.free_threaded = true;
        variant = variant.substr(13);
    }
    out.implementation = "cpython";
    out.version = *version;
    out.tag = std::string(tag);
    out.arch = std::string(parts[2]);
    out.os = "linux";
    out.libc = std::string(parts[5]);
    out.variant = variant;
    out.filename = std::string(filename);
    return true;
}

CatalogueUpdateOutcome update_catalogue(const Home& home, const CatalogueUpdate& options) {
    CatalogueUpdateOutcome outcome;
    Downloader downloader(options.transport);
    auto staging = StagingDir::create(home, "python-catalogue");
    Catalogue catalogue;
    for (int page = 1; page <= options.max_pages; ++page) {
        const auto url = with_page(options.api_url, page);
        const auto text = fetch_text(downloader, url, staging.path() / "releases.json");
        const json releases = json::parse(text, nullptr, false);
        if (releases.is_discarded() || !releases.is_array())
            throw Error(ErrorCode::network,
                        fmt::format("'{}' did not answer with a JSON list of releases", url),
                        "check --url; it must be a GitHub releases API endpoint");
        for (const auto& release : releases) {
            if (!release.is_object() || !release.contains("tag_name") ||
                !release.contains("assets") || !release["assets"].is_array())
                continue;
            const auto tag = release["tag_name"].get<std::string>();
            const auto& assets = release["assets"];
            std::map<std::string, std::string> sums;
            std::vector<Download> found;
            for (const auto& asset : assets) {
                const auto name = asset.value("name", std::string());
                const auto link = asset.value("browser_download_url", std::string());
                if (name == "SHA256SUMS" && !link.empty())
                    sums = parse_sums(fetch_text(downloader, link, staging.path() / "SHA256SUMS"));
                Download d;
                if (link.empty() || !parse_pbs_filename(name, tag, d) ||
                    !installable_variant(d.variant))
                    continue;
                d.url = link;
                d.size = asset.value("size", std::uint64_t{0});
                // Newer API answers carry "digest": "sha256:<hex>".
                if (const auto digest = asset.value("digest", std::string());
                    digest.starts_with("sha256:"))
                    d.sha256 = digest.substr(7);
                found.push_back(std::move(d));
            }
            for (auto& d : found) {
                if (d.sha256.empty())
                    if (const auto it = sums.find(d.filename); it != sums.end())
                        d.sha256 = it->second;
                if (d.sha256.size() != 64) {
                    logger().info("skipping {}: no sha256 published", d.filename);
                    continue;
                }
                catalogue.downloads.push_back(std::move(d));
            }
            ++outcome.releases;
        }
        if (releases.size() < 100)
            break;
    }
    if (catalogue.downloads.empty())
        throw Error(
            ErrorCode::not_found,
            fmt::format("no installable Linux downloads with checksums in '{}'", options.api_url),
            "the existing catalogue is kept");
    std::ranges::stable_sort(catalogue.downloads, [](const Download& a, const Download& b) {
        return a.version > b.version;
    });
    // The text must read back as a catalogue before it replaces the old one.
    const auto text = catalogue.to_json();
    if (auto check = Catalogue::parse(text, "update"); !check)
        throw check.error();
    outcome.file = home_catalogue_file(home);
    fs::atomic_write(outcome.file, text);
    outcome.downloads = catalogue.downloads.size();
    return outcome;
}

}  // namespace omni::python
