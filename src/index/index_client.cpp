#include "omni/index/index_client.hpp"
#include "omni/standards/name.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <set>

#include <fmt/format.h>

#include "index/file_checks.hpp"
#include "index/names.hpp"
#include "omni/index/simple_api.hpp"
#include "omni/index/url.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni {

namespace {

std::vector<std::string> string_list(const std::optional<nlohmann::json>& value) {
    std::vector<std::string> out;
    if (!value)
        return out;
    if (value->is_string())
        out.push_back(value->get<std::string>());
    if (value->is_array())
        for (const auto& item : *value)
            if (item.is_string())
                out.push_back(item.get<std::string>());
    return out;
}

Error status_error(const std::string& url, long status, const std::string& hint) {
    const bool denied = status == 401 || status == 403;
    return Error(ErrorCode::network, fmt::format("{} answered HTTP {}", redact_url(url), status),
                 denied ? "the index wants credentials: put them in the URL "
                          "(https://user:password@host/...) or in ~/.netrc ($NETRC)"
                        : hint);
}

bool is_local_dir(const std::string& source) {
    std::error_code ec;
    if (is_file_url(source))
        return std::filesystem::is_directory(file_url_to_path(source), ec);
    return is_plain_path(source);
}

// Seconds from a config value or an environment variable; Error naming it
// when it is not a positive number.
std::optional<std::chrono::seconds> seconds_from(const std::string& text, const std::string& what) {
    try {
        std::size_t used = 0;
        const double value = std::stod(text, &used);
        if (used == text.size() && value > 0 && value < 1e6)
            return std::chrono::seconds(static_cast<long>(value + 0.999));
    } catch (const std::exception&) {
    }
    throw Error(ErrorCode::invalid_input,
                fmt::format("{} is '{}', not a number of seconds", what, text),
                "set it to a positive number such as 30");
}

std::uint64_t bytes_from(const nlohmann::json& value, const std::string& key) {
    if (value.is_number_unsigned() && value.get<std::uint64_t>() > 0)
        return value.get<std::uint64_t>();
    throw Error(ErrorCode::invalid_input,
                fmt::format("config {} is {}, not a positive number of bytes", key, value.dump()),
                fmt::format("omni config set {} 67108864", key));
}

// Credentials written into a source URL move into the transport, for that
// host only; the URL omni keeps, shows and caches by has none.
std::string take_credentials(const std::string& url, TransportOptions& transport) {
    auto split = split_credentials(url);
    if (!split.user.empty() || !split.password.empty())
        transport.credentials.push_back(
            {url_authority(split.url), std::move(split.user), std::move(split.password)});
    return split.url;
}

}  // namespace

const ProjectPage& IndexClient::find_links_listing(const std::filesystem::path& dir) const {
    const std::lock_guard lock(listings_->mutex);
    auto& slot = listings_->by_dir[dir.lexically_normal().string()];
    if (!slot)
        slot = std::make_shared<const ProjectPage>(list_find_links_dir(dir));
    return *slot;
}

bool IndexOptions::reaches_network() const {
    if (offline)
        return false;
    const auto remote = [](const std::string& url) {
        return url.starts_with("http://") || url.starts_with("https://");
    };
    if (!no_index && (remote(index_url) ||
                      std::any_of(extra_index_urls.begin(), extra_index_urls.end(), remote)))
        return true;
    return std::any_of(find_links.begin(), find_links.end(), remote);
}

IndexOptions IndexOptions::from_settings(const Config& config) {
    IndexOptions options;
    if (auto url = config.get("index.url"); url && url->is_string())
        options.index_url = url->get<std::string>();
    options.extra_index_urls = string_list(config.get("index.extra-urls"));
    options.find_links = string_list(config.get("index.find-links"));
    if (auto cert = config.get("index.cert"); cert && cert->is_string())
        options.transport.ca_cert = cert->get<std::string>();
    if (auto proxy = config.get("index.proxy"); proxy && proxy->is_string())
        options.transport.proxy = proxy->get<std::string>();
    if (const char* env = std::getenv("OMNI_INDEX_URL"); env != nullptr && *env != '\0')
        options.index_url = env;
    if (auto t = config.get("index.timeout"); t && !t->is_null())
        options.transport.set_timeout(*seconds_from(
            t->is_string() ? t->get<std::string>() : t->dump(), "config index.timeout"));
    // The first of these that is set wins, as each tool reads its own.
    for (const char* name : {"OMNI_HTTP_TIMEOUT", "UV_HTTP_TIMEOUT", "PIP_TIMEOUT"}) {
        if (const char* env = std::getenv(name); env != nullptr && *env != '\0') {
            options.transport.set_timeout(*seconds_from(env, name));
            break;
        }
    }
    if (auto v = config.get("index.max-page-size"); v && !v->is_null())
        options.transport.max_page_bytes = bytes_from(*v, "index.max-page-size");
    if (auto v = config.get("index.max-metadata-size"); v && !v->is_null())
        options.transport.max_metadata_bytes = bytes_from(*v, "index.max-metadata-size");
    if (const char* netrc = std::getenv("NETRC"); netrc != nullptr && *netrc != '\0') {
        options.transport.netrc_file = netrc;
    } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        std::error_code ec;
        const auto path = std::filesystem::path(home) / ".netrc";
        if (std::filesystem::is_regular_file(path, ec))
            options.transport.netrc_file = path.string();
    }
    return options;
}

namespace {

IndexOptions without_credentials(IndexOptions options) {
    options.index_url = take_credentials(options.index_url, options.transport);
    for (auto& url : options.extra_index_urls)
        url = take_credentials(url, options.transport);
    for (auto& links : options.find_links)
        links = take_credentials(links, options.transport);
    return options;
}

}  // namespace

IndexClient::IndexClient(Home home, IndexOptions options)
    : home_(home),
      options_(without_credentials(std::move(options))),
      pages_(home, HttpClient(options_.transport), options_.offline),
      wheels_(home, Downloader(options_.transport), options_.offline) {}

ProjectPage IndexClient::project_page(std::string_view project) const {
    ProjectPage merged;
    merged.name = standards::normalize_name(project);
    std::set<std::string> seen;
    // Only files whose names and hashes are safe to use get in; the others
    // are skipped with a warning naming the page that listed them.
    const auto add = [&](ProjectPage page, const std::string& origin) {
        for (const auto& skipped : index_detail::drop_unusable_files(page, merged.name))
            logger().warn("skipping '{}' listed on {}: {}", skipped.filename, redact_url(page.url),
                          skipped.reason);
        if (merged.url.empty() && !page.files.empty())
            merged.url = page.url;
        for (auto& file : page.files) {
            file.origin = origin;
            if (seen.insert(file.url).second)
                merged.files.push_back(std::move(file));
        }
    };
    std::vector<std::string> indexes;
    if (!options_.no_index) {
        indexes.push_back(options_.index_url);
        indexes.insert(indexes.end(), options_.extra_index_urls.begin(),
                       options_.extra_index_urls.end());
    }
    // With several sources, one that cannot be reached is a warning as long
    // as another has the project (pip's behaviour); alone, it is the error.
    const bool several = indexes.size() + options_.find_links.size() > 1;
    std::vector<Error> unreachable;
    for (const auto& index : indexes) {
        const auto url = with_trailing_slash(index) + merged.name + "/";
        try {
            const auto response = pages_.get(url, std::string(simple_accept));
            if (response.status == 404 || response.status == 410)
                continue;
            if (response.status != 200)
                throw status_error(url, response.status, "check the index URL (index.url)");
            auto page =
                parse_project_page(response.body, response.content_type, response.url, project);
            if (!page)
                throw page.error();
            add(std::move(*page), index);
        } catch (const Error& e) {
            if (!several || e.code() != ErrorCode::network)
                throw;
            unreachable.push_back(e);
        }
    }
    for (const auto& source : options_.find_links) {
        if (is_local_dir(source)) {
            const auto dir =
                is_file_url(source) ? file_url_to_path(source) : std::filesystem::path(source);
            add(files_for_project(find_links_listing(dir), project), source);
            continue;
        }
        const auto response = pages_.get(source, "text/html");
        if (response.status != 200)
            throw status_error(source, response.status, "check the --find-links URL");
        auto page = parse_find_links_html(response.body, response.url);
        if (!page)
            throw page.error();
        add(files_for_project(*page, project), source);
    }
    if (!unreachable.empty()) {
        if (merged.files.empty())
            throw unreachable.front();
        for (const auto& e : unreachable)
            logger().warn("{}; using the other sources", e.what());
    }
    return merged;
}

std::filesystem::path IndexClient::fetch_wheel(const DistFile& file) const {
    return wheels_.fetch(file);
}

std::optional<std::filesystem::path> IndexClient::find_cached_wheel(
    const std::string& sha256, const std::string& filename) const {
    return wheels_.find(sha256, filename);
}

std::vector<std::filesystem::path> IndexClient::fetch_wheels(
    const std::vector<DistFile>& files) const {
    return wheels_.fetch_all(files);
}

}  // namespace omni
