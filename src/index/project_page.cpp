#include "omni/index/project_page.hpp"
#include "omni/standards/name.hpp"

#include <cctype>

#include "index/names.hpp"
#include "index/page_common.hpp"
#include "index/page_error.hpp"
#include "omni/index/simple_api.hpp"
#include "omni/index/url.hpp"

namespace omni {

bool DistFile::is_wheel() const {
    return filename.ends_with(".whl");
}

std::optional<std::string> DistFile::sha256() const {
    const auto it = hashes.find("sha256");
    if (it == hashes.end())
        return std::nullopt;
    return it->second;
}

ProjectPage files_for_project(const ProjectPage& page, std::string_view project) {
    ProjectPage out;
    out.name = standards::normalize_name(project);
    out.url = page.url;
    for (const auto& file : page.files)
        if (index_detail::project_of_filename(file.filename) == out.name)
            out.files.push_back(file);
    return out;
}

namespace index_detail {

std::map<std::string, std::string> parse_hash_fragment(std::string_view fragment) {
    std::map<std::string, std::string> out;
    const auto eq = fragment.find('=');
    if (eq == std::string_view::npos || eq == 0)
        return out;
    std::string algo(fragment.substr(0, eq));
    std::string value(fragment.substr(eq + 1));
    for (auto& c : algo)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : value)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!value.empty())
        out.emplace(std::move(algo), std::move(value));
    return out;
}

Result<void> check_api_version(std::string_view version, std::string_view url) {
    const auto major = version.substr(0, version.find('.'));
    if (major == "1")
        return {};
    return std::unexpected(page_error(url, "repository API version " + std::string(version) +
                                               " is not supported (omni reads 1.x)"));
}

Result<DistFile> file_from_link(std::string_view page_url, std::string_view href) {
    auto [link, fragment] = split_fragment(href);
    auto absolute = resolve_url(page_url, link);
    if (!absolute)
        return std::unexpected(page_error(page_url, "bad link '" + std::string(href) + "'"));
    DistFile file;
    file.url = std::move(*absolute);
    file.filename = url_filename(file.url);
    file.hashes = parse_hash_fragment(fragment);
    return file;
}

}  // namespace index_detail
}  // namespace omni
