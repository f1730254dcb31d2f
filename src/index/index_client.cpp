#include "omni/standards/name.hpp"
#include "omni/index/index_client.hpp"

#include <cstdlib>
#include <set>

#include <fmt/format.h>

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

bool is_local_dir(const std::string& source) {
    std::error_code ec;
    if (is_file_url(source))
        return std::filesystem::is_directory(file_url_to_path(source), ec);
    return is_plain_path(source);
}

}  // namespace

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
    return options;
}

IndexClient::IndexClient(Home home, IndexOptions options)
    : home_(home),
      options_(std::move(options)),
      pages_(home, HttpClient(options_.transport), options_.offline),
      wheels_(home, Downloader(options_.transport), options_.offline) {}

ProjectPage IndexClient::project_page(std::string_view project) const {
    ProjectPage merged;
    merged.name = standards::normalize_name(project);
    std::set<std::string> seen;
    const auto add = [&](const ProjectPage& page) {
        if (merged.url.empty() && !page.files.empty())
            merged.url = page.url;
        for (const auto& file : page.files)
            if (seen.insert(file.url).second)
                merged.files.push_back(file);
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
                throw Error(ErrorCode::network,
                            fmt::format("{} answered HTTP {}", url, response.status),
                            "check the index URL (index.url)");
            auto page =
                parse_project_page(response.body, response.content_type, response.url, project);
            if (!page)
                throw page.error();
            add(*page);
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
            add(files_for_project(list_find_links_dir(dir), project));
            continue;
        }
        const auto response = pages_.get(source, "text/html");
        if (response.status != 200)
            throw Error(ErrorCode::network, fmt::format("find-links page {} answered HTTP {}",
                                                        source, response.status));
        auto page = parse_find_links_html(response.body, response.url);
        if (!page)
            throw page.error();
        add(files_for_project(*page, project));
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

std::vector<std::filesystem::path> IndexClient::fetch_wheels(
    const std::vector<DistFile>& files) const {
    return wheels_.fetch_all(files);
}

}  // namespace omni
