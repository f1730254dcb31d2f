#pragma once
// Parsers for the "simple" repository API: PEP 503 HTML and PEP 691 JSON
// pages, and find-links sources. Relative URLs are resolved against the URL
// the page was fetched from. Malformed input gives an Error naming that URL.
#include <filesystem>
#include <string_view>

#include "omni/index/project_page.hpp"
#include "omni/util/error.hpp"

namespace omni {

inline constexpr std::string_view simple_json_type = "application/vnd.pypi.simple.v1+json";
inline constexpr std::string_view simple_html_type = "application/vnd.pypi.simple.v1+html";
// What omni sends as Accept for index pages: JSON preferred, HTML accepted.
inline constexpr std::string_view simple_accept =
    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, "
    "text/html;q=0.01";

// A project page (/simple/<project>/). `project` names the page's project.
Result<ProjectPage> parse_project_json(std::string_view text, std::string_view page_url,
                                       std::string_view project);
Result<ProjectPage> parse_project_html(std::string_view text, std::string_view page_url,
                                       std::string_view project);
// Chooses by content type (JSON when it names the PEP 691 type or json).
Result<ProjectPage> parse_project_page(std::string_view text, std::string_view content_type,
                                       std::string_view page_url, std::string_view project);

// The root page (/simple/).
Result<ProjectList> parse_project_list_json(std::string_view text, std::string_view page_url);
Result<ProjectList> parse_project_list_html(std::string_view text, std::string_view page_url);

// Every wheel and sdist directly inside `dir`, as file:// URLs, sorted by name.
// Throws Error(io) naming the directory when it cannot be read.
ProjectPage list_find_links_dir(const std::filesystem::path& dir);
// Every wheel and sdist an HTML page links to (a find-links page).
Result<ProjectPage> parse_find_links_html(std::string_view text, std::string_view page_url);

// The files of `page` that belong to `project` (by their file names).
ProjectPage files_for_project(const ProjectPage& page, std::string_view project);

}  // namespace omni
