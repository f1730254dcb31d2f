// PEP 503 project pages and the root page, and find-links HTML pages.
#include "index/html_scan.hpp"
#include "index/names.hpp"
#include "index/page_common.hpp"
#include "omni/index/simple_api.hpp"
#include "omni/index/url.hpp"
#include "omni/standards/name.hpp"

namespace omni {

namespace {

using namespace index_detail;

std::optional<std::string> attribute(const HtmlAnchor& a, const std::string& name) {
    const auto it = a.attributes.find(name);
    if (it == a.attributes.end())
        return std::nullopt;
    return it->second;
}

Result<HtmlDocument> scan_checked(std::string_view text, std::string_view url) {
    auto doc = scan_html(text, url);
    if (!doc)
        return doc;
    if (doc->repository_version) {
        if (auto ok = check_api_version(*doc->repository_version, url); !ok)
            return std::unexpected(ok.error());
    }
    return doc;
}

Result<ProjectPage> files_from_html(std::string_view text, std::string_view page_url,
                                    bool distributions_only) {
    auto doc = scan_checked(text, page_url);
    if (!doc)
        return std::unexpected(doc.error());
    std::string base(page_url);
    if (doc->base_href) {
        auto resolved = resolve_url(page_url, *doc->base_href);
        if (resolved)
            base = *resolved;
    }
    ProjectPage page;
    page.url = std::string(page_url);
    for (const auto& anchor : doc->anchors) {
        const auto href = attribute(anchor, "href");
        if (!href || href->empty())
            continue;
        auto file = file_from_link(base, *href);
        if (!file)
            return std::unexpected(file.error());
        if (file->filename.empty())
            file->filename = anchor.text;
        if (distributions_only && !is_distribution_filename(file->filename))
            continue;
        if (auto rp = attribute(anchor, "data-requires-python"); rp && !rp->empty())
            file->requires_python = *rp;
        if (auto yanked = attribute(anchor, "data-yanked")) {
            file->yanked = true;
            file->yanked_reason = *yanked;
        }
        auto metadata = attribute(anchor, "data-core-metadata");
        if (!metadata)
            metadata = attribute(anchor, "data-dist-info-metadata");
        if (metadata && *metadata != "false") {
            file->has_metadata_file = true;
            file->metadata_hashes = parse_hash_fragment(*metadata);
        }
        page.files.push_back(std::move(*file));
    }
    return page;
}

}  // namespace

Result<ProjectPage> parse_project_html(std::string_view text, std::string_view page_url,
                                       std::string_view project) {
    auto page = files_from_html(text, page_url, false);
    if (page)
        page->name = standards::normalize_name(project);
    return page;
}

Result<ProjectList> parse_project_list_html(std::string_view text, std::string_view page_url) {
    auto doc = scan_checked(text, page_url);
    if (!doc)
        return std::unexpected(doc.error());
    ProjectList list;
    for (const auto& anchor : doc->anchors)
        if (!anchor.text.empty())
            list.names.push_back(anchor.text);
    return list;
}

Result<ProjectPage> parse_find_links_html(std::string_view text, std::string_view page_url) {
    return files_from_html(text, page_url, true);
}

Result<ProjectPage> parse_project_page(std::string_view text, std::string_view content_type,
                                       std::string_view page_url, std::string_view project) {
    if (content_type.find("json") != std::string_view::npos)
        return parse_project_json(text, page_url, project);
    return parse_project_html(text, page_url, project);
}

}  // namespace omni
