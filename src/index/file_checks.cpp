#include "index/file_checks.hpp"

#include <fmt/format.h>

#include <cctype>

#include "omni/index/url.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/sdist_name.hpp"
#include "omni/standards/version.hpp"
#include "omni/standards/wheel_name.hpp"
#include "omni/util/hash.hpp"

namespace omni::index_detail {

namespace {

// The normalized project an sdist file name can belong to, checked against
// `project`: some "name-version" split must have that name and a valid version.
bool sdist_belongs_to(std::string_view filename, std::string_view project) {
    const auto stem = standards::sdist_stem(filename);
    if (!stem)
        return false;
    for (auto dash = stem->find('-'); dash != std::string_view::npos;
         dash = stem->find('-', dash + 1))
        if (standards::normalize_name(stem->substr(0, dash)) == project &&
            standards::Version::parse(stem->substr(dash + 1)).has_value())
            return true;
    return false;
}

std::optional<std::string> hashes_problem(std::map<std::string, std::string>& hashes,
                                          std::string_view what) {
    for (auto it = hashes.begin(); it != hashes.end();) {
        const auto length = digest_length(it->first);
        if (!length) {
            it = hashes.erase(it);  // unknown algorithm: never used, never kept
            continue;
        }
        if (!is_hex_digest(it->second, *length))
            return fmt::format("its {} {} value is not {} hex digits", what, it->first, *length);
        ++it;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::size_t> digest_length(std::string_view algorithm) {
    if (algorithm == "sha256" || algorithm == "sha3_256" || algorithm == "blake2s")
        return 64;
    if (algorithm == "sha384" || algorithm == "sha3_384")
        return 96;
    if (algorithm == "sha512" || algorithm == "sha3_512" || algorithm == "blake2b")
        return 128;
    if (algorithm == "sha224" || algorithm == "sha3_224")
        return 56;
    if (algorithm == "sha1")
        return 40;
    if (algorithm == "md5")
        return 32;
    return std::nullopt;
}

std::optional<std::string> file_name_problem(std::string_view name) {
    if (name.empty())
        return "the file name is empty";
    if (name.size() > 255)
        return "the file name is longer than 255 bytes";
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '/' || c == '\\')
            return "the file name contains a path separator";
        if (u < 0x20 || u == 0x7f)
            return "the file name contains a control character";
        if (c == '%')
            return "the file name contains '%' (percent-encoded characters)";
    }
    if (name.find("..") != std::string_view::npos)
        return "the file name contains '..'";
    if (name.front() == '.' || name.front() == '-')
        return fmt::format("the file name starts with '{}'", name.front());
    return std::nullopt;
}

std::optional<std::string> dist_file_problem(const DistFile& file, std::string_view project) {
    if (auto problem = file_name_problem(file.filename))
        return problem;
    if (file.filename.ends_with(".whl")) {
        const auto parsed = standards::WheelName::parse(file.filename);
        if (!parsed)
            return "it is not a valid wheel file name";
        if (parsed->name != project)
            return fmt::format("it is a wheel of '{}', not of '{}'", parsed->name, project);
    } else if (standards::sdist_stem(file.filename)) {
        if (!sdist_belongs_to(file.filename, project))
            return fmt::format("it is not an sdist of '{}'", project);
    } else {
        return "it is neither a wheel nor an sdist";
    }
    return std::nullopt;
}

std::optional<std::string> url_scheme_problem(std::string_view url, bool page_is_local) {
    const auto end = url.find("://");
    std::string scheme(end == std::string_view::npos ? std::string_view() : url.substr(0, end));
    for (auto& c : scheme)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme == "http" || scheme == "https")
        return std::nullopt;
    if (scheme == "file")
        return page_is_local ? std::nullopt
                             : std::optional<std::string>(
                                   "a remote page may not point at local files (file://)");
    if (scheme.empty())
        return "its URL has no scheme (http and https only)";
    return fmt::format("its URL scheme '{}' is not allowed (http and https only)", scheme);
}

std::vector<SkippedFile> drop_unusable_files(ProjectPage& page, std::string_view project) {
    std::vector<SkippedFile> skipped;
    std::vector<DistFile> kept;
    const bool local = is_file_url(page.url) || is_plain_path(page.url);
    for (auto& file : page.files) {
        auto problem = dist_file_problem(file, project);
        if (!problem)
            problem = url_scheme_problem(file.url, local);
        if (!problem)
            problem = hashes_problem(file.hashes, "hash");
        if (!problem)
            problem = hashes_problem(file.metadata_hashes, "metadata hash");
        if (problem)
            skipped.push_back({file.filename, std::move(*problem)});
        else
            kept.push_back(std::move(file));
    }
    page.files = std::move(kept);
    return skipped;
}

}  // namespace omni::index_detail
