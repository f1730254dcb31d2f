// PEP 691 JSON project pages and the root page.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "index/names.hpp"
#include "index/page_common.hpp"
#include "index/page_error.hpp"
#include "omni/index/simple_api.hpp"
#include "omni/standards/name.hpp"

namespace omni {

namespace {

using namespace index_detail;
using nlohmann::json;

Result<json> parse_document(std::string_view text, std::string_view url) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        const auto pos = e.byte > 0 ? e.byte - 1 : 0;
        return std::unexpected(page_error(url, text, pos, "not valid JSON"));
    }
    if (!doc.is_object())
        return std::unexpected(page_error(url, "the JSON is not an object"));
    const auto meta = doc.find("meta");
    if (meta == doc.end() || !meta->is_object() || !meta->contains("api-version") ||
        !(*meta)["api-version"].is_string())
        return std::unexpected(page_error(url, "missing meta.api-version"));
    if (auto ok = check_api_version((*meta)["api-version"].get<std::string>(), url); !ok)
        return std::unexpected(ok.error());
    return doc;
}

Error field_error(std::string_view url, std::size_t index, std::string_view field,
                  std::string_view expected) {
    return page_error(url, fmt::format("files[{}].{} must be {}", index, field, expected));
}

Result<std::map<std::string, std::string>> hash_dict(const json& value, std::string_view url,
                                                     std::size_t index, std::string_view field) {
    std::map<std::string, std::string> out;
    if (!value.is_object())
        return std::unexpected(field_error(url, index, field, "an object"));
    for (const auto& [algo, digest] : value.items()) {
        if (!digest.is_string())
            return std::unexpected(field_error(url, index, field, "a map of strings"));
        auto hex = digest.get<std::string>();
        for (auto& c : hex)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.emplace(algo, std::move(hex));
    }
    return out;
}

Result<DistFile> parse_file(const json& item, std::string_view url, std::size_t index) {
    if (!item.is_object())
        return std::unexpected(field_error(url, index, "", "an object"));
    const auto filename = item.find("filename");
    const auto link = item.find("url");
    if (filename == item.end() || !filename->is_string() || filename->get<std::string>().empty())
        return std::unexpected(field_error(url, index, "filename", "a non-empty string"));
    if (link == item.end() || !link->is_string())
        return std::unexpected(field_error(url, index, "url", "a string"));
    auto file = file_from_link(url, link->get<std::string>());
    if (!file)
        return std::unexpected(file.error());
    file->filename = filename->get<std::string>();
    if (const auto hashes = item.find("hashes"); hashes != item.end()) {
        auto parsed = hash_dict(*hashes, url, index, "hashes");
        if (!parsed)
            return std::unexpected(parsed.error());
        for (auto& [k, v] : *parsed)
            file->hashes.insert_or_assign(k, v);
    }
    if (const auto rp = item.find("requires-python"); rp != item.end() && !rp->is_null()) {
        if (!rp->is_string())
            return std::unexpected(field_error(url, index, "requires-python", "a string or null"));
        if (!rp->get<std::string>().empty())
            file->requires_python = rp->get<std::string>();
    }
    if (const auto yanked = item.find("yanked"); yanked != item.end()) {
        if (yanked->is_boolean()) {
            file->yanked = yanked->get<bool>();
        } else if (yanked->is_string()) {
            file->yanked = true;
            file->yanked_reason = yanked->get<std::string>();
        } else {
            return std::unexpected(field_error(url, index, "yanked", "a boolean or a string"));
        }
    }
    for (const char* key : {"core-metadata", "dist-info-metadata"}) {
        const auto metadata = item.find(key);
        if (metadata == item.end())
            continue;
        if (metadata->is_boolean()) {
            file->has_metadata_file = metadata->get<bool>();
        } else {
            auto parsed = hash_dict(*metadata, url, index, key);
            if (!parsed)
                return std::unexpected(parsed.error());
            file->has_metadata_file = true;
            file->metadata_hashes = std::move(*parsed);
        }
        break;  // core-metadata wins over the older name (PEP 714)
    }
    if (const auto size = item.find("size"); size != item.end() && size->is_number_unsigned())
        file->size = size->get<std::uint64_t>();
    return file;
}

}  // namespace

Result<ProjectPage> parse_project_json(std::string_view text, std::string_view page_url,
                                       std::string_view project) {
    auto doc = parse_document(text, page_url);
    if (!doc)
        return std::unexpected(doc.error());
    const auto files = doc->find("files");
    if (files == doc->end() || !files->is_array())
        return std::unexpected(page_error(page_url, "missing the 'files' array"));
    ProjectPage page;
    page.name = standards::normalize_name(project);
    page.url = std::string(page_url);
    for (std::size_t i = 0; i < files->size(); ++i) {
        auto file = parse_file((*files)[i], page_url, i);
        if (!file)
            return std::unexpected(file.error());
        page.files.push_back(std::move(*file));
    }
    return page;
}

Result<ProjectList> parse_project_list_json(std::string_view text, std::string_view page_url) {
    auto doc = parse_document(text, page_url);
    if (!doc)
        return std::unexpected(doc.error());
    const auto projects = doc->find("projects");
    if (projects == doc->end() || !projects->is_array())
        return std::unexpected(page_error(page_url, "missing the 'projects' array"));
    ProjectList list;
    for (const auto& p : *projects) {
        if (!p.is_object() || !p.contains("name") || !p["name"].is_string())
            return std::unexpected(page_error(page_url, "projects[].name must be a string"));
        list.names.push_back(p["name"].get<std::string>());
    }
    return list;
}

}  // namespace omni
