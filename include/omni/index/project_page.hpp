#pragma once
// What an index says about one project: the files it offers. The PEP 503
// HTML page, the PEP 691 JSON page, a find-links directory and a find-links
// HTML page all come down to this one shape.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace omni {

struct DistFile {
    std::string filename;                        // "rich-13.4.2-py3-none-any.whl"
    std::string url;                             // absolute, without the #fragment
    std::map<std::string, std::string> hashes;   // "sha256" -> lower-case hex
    std::optional<std::string> requires_python;  // as written, unescaped
    bool yanked = false;
    std::string yanked_reason;  // may be empty even when yanked
    // PEP 658/714: the METADATA file is served at url + ".metadata".
    bool has_metadata_file = false;
    std::map<std::string, std::string> metadata_hashes;
    std::optional<std::uint64_t> size;
    // The source that listed it (the index URL or the find-links entry): what
    // the metadata cache is keyed by, with the file's hash.
    std::string origin;

    bool is_wheel() const;
    // The sha256 the file must have, when the index gave one.
    std::optional<std::string> sha256() const;
    std::string metadata_url() const { return url + ".metadata"; }

    bool operator==(const DistFile&) const = default;
};

struct ProjectPage {
    std::string name;  // PEP 503 normalized
    std::string url;   // where the page came from (the first source when merged)
    std::vector<DistFile> files;

    bool operator==(const ProjectPage&) const = default;
};

struct ProjectList {
    std::vector<std::string> names;  // as the index spells them
};

}  // namespace omni
