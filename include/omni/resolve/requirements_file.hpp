#pragma once
// pip's requirements files: one requirement a line, `#` comments, `\`
// continuations, `-r FILE` includes and `-c FILE` constraints (relative to
// the including file), and the lines pip takes besides requirements:
// `-e PATH`, local paths (`./dir`, `x.whl`, `x.tar.gz`), `name @ URL`,
// `--index-url`/`-i`, `--extra-index-url`, `--find-links`/`-f`,
// `--no-index`, `--pre`, `--no-binary`, `--only-binary`, and
// `--hash=sha256:...` after a requirement.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace omni::resolve {

struct RequirementsFile {
    std::vector<std::string> requirements;
    std::vector<std::string> constraints;
    std::vector<std::string> editables;  // -e PATH, as paths from the current directory
    std::vector<std::string> local;      // wheels, sdists and project directories
    std::optional<std::string> index_url;
    std::vector<std::string> extra_index_urls;
    std::vector<std::string> find_links;  // a relative path is taken from the file's directory
    bool no_index = false;
    bool pre = false;
    std::vector<std::string> no_binary;
    std::vector<std::string> only_binary;
    // --hash values ("sha256:<hex>") by normalized project name.
    std::map<std::string, std::vector<std::string>> hashes;

    // Adds everything of `other` (a later -r file) to this one.
    void merge(const RequirementsFile& other);
};

// Throws Error naming the file and line for what it cannot take.
RequirementsFile read_requirements_file(const std::filesystem::path& path);

// A local distribution or project as pip tells it from a requirement: a
// wheel or sdist file name, or a directory written as a path (`.`, `./x`,
// `/x`, `x/`). `text` may carry extras: `./dir[dev]`.
bool looks_like_local_path(const std::string& text);

// What `omni install ARG...` was given, told apart as pip does.
struct LocalTarget {
    std::string location;             // a path, or an http(s) URL of a wheel
    std::vector<std::string> extras;  // `./dir[dev]`, `name[dev] @ file:///dir`
    std::string name;                 // `name @ ...`: the name it must have; else empty
    bool is_wheel = false;            // a .whl (else a project directory or an sdist)
};
struct InstallArguments {
    std::vector<std::string> requirements;  // for the resolver
    std::vector<LocalTarget> local;         // wheels, sdists and projects, local or by URL
};

// Paths and `name @ file://` / `name @ https://` direct references become
// local targets; everything else stays a requirement. Error(invalid_input)
// for a direct reference to something omni cannot install (`git+`, a page).
InstallArguments classify_install_arguments(const std::vector<std::string>& args);

}  // namespace omni::resolve
