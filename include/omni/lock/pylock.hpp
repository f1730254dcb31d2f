#pragma once
// PEP 751 lock files (pylock.toml): the data, a reader that accepts what
// other tools write (pip's arrays of tables, uv's wheels without names) and
// refuses what it cannot honour, and a writer whose output depends only on
// the data (keys in the PEP's order, packages and files sorted), so locking
// the same state twice gives the same bytes.
//
// omni's bubbles live in [tool.omni]: one [[tool.omni.bubbles]] entry per
// bubble with the interpreter's env key, the requirement it was made for and
// its closure as package entries of the same form as [[packages]].
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/util/error.hpp"

namespace omni::lock {

struct LockedFile {
    std::string name;  // the file name ("rich-13.4.2-py3-none-any.whl")
    std::string url;   // where to fetch it, or
    std::string path;  // a local path (relative to the lock file's directory)
    std::optional<std::uint64_t> size;
    std::map<std::string, std::string> hashes;  // algorithm -> lower-case hex
};

struct LockedPackage {
    std::string name;  // as written; compared normalized
    std::string version;
    std::string marker;           // PEP 508 marker, empty: always
    std::string requires_python;  // the package's own
    std::string index;            // the index it came from (credentials removed)
    std::vector<LockedFile> wheels;
    std::optional<LockedFile> sdist;
    // Sources omni reads but does not install from (directory, vcs, archive).
    std::string other_source;
};

struct LockedBubble {
    std::string python;  // env key: "cpython-3.11"
    std::string requirement;
    std::string name;  // the requirement's project, normalized
    std::string version;
    std::string variant;
    std::vector<LockedPackage> packages;
};

struct PyLock {
    std::string lock_version = "1.0";
    std::vector<std::string> environments;
    std::string requires_python;
    std::string created_by = "omni";
    std::vector<LockedPackage> packages;
    std::vector<LockedBubble> bubbles;
};

// Parses the text of a lock; `source` names it in errors. A missing or
// unknown major lock-version, a package without name, a wheel without a
// name or a place to fetch it, a value of the wrong type: Error(invalid_input).
Result<PyLock> parse_pylock(std::string_view text, std::string_view source);

// The lock's text. Sorts packages (name, version, marker), wheels (name) and
// bubbles (python, name, version) first, so equal locks give equal bytes.
std::string write_pylock(PyLock lock);

// "https://user:secret@host/simple/" -> "https://host/simple/": a lock file
// names where files came from, never who fetched them.
std::string without_userinfo(std::string_view url);

}  // namespace omni::lock
