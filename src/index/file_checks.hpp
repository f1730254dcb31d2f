#pragma once
// What an index page says about a file is untrusted: its name becomes a
// path in the cache and its hashes become directory names and the proof of
// what was downloaded. A file is used only when every one of those values
// is what it must be; otherwise it is skipped with the reason.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/index/project_page.hpp"

namespace omni::index_detail {

// The hex length of a digest algorithm's value (sha256: 64), or nullopt for
// an algorithm omni does not know.
std::optional<std::size_t> digest_length(std::string_view algorithm);

// Why `name` is not a plain file name (empty, a separator, "..", NUL or
// another control character, '%', a leading '.' or '-', over 255 bytes);
// nullopt when it is one.
std::optional<std::string> file_name_problem(std::string_view name);

// Why `file` may not be used as a distribution of `project` (normalized):
// its name, its hashes or its metadata hashes; nullopt when it may.
std::optional<std::string> dist_file_problem(const DistFile& file, std::string_view project);

// Why a file at `url` may not be fetched for a page: http and https only,
// and file:// only when the page itself is local (a file:// index or
// find-links). nullopt when it may.
std::optional<std::string> url_scheme_problem(std::string_view url, bool page_is_local);

struct SkippedFile {
    std::string filename;
    std::string reason;
};

// Removes every file of `page` that dist_file_problem or url_scheme_problem
// (local when page.url is a file:// URL or a path) rejects, and returns
// what was removed, in page order. Hashes of algorithms omni does not know
// are dropped from the files that stay (they are never used).
std::vector<SkippedFile> drop_unusable_files(ProjectPage& page, std::string_view project);

}  // namespace omni::index_detail
