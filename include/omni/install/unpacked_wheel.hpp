#pragma once
// A wheel unpacked once into cache/unpacked/<sha256>/, checked on the way:
// hostile zips (path traversal, links, duplicates, trailing data, bad CRCs),
// a dist-info that disagrees with the file name, an unsupported
// Wheel-Version and RECORD hashes that do not match are all rejected, and
// nothing of a rejected wheel stays behind.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "omni/home/home.hpp"

namespace omni::install {

struct EntryPoint {
    std::string name;    // the script name
    std::string module;  // "pkg.cli"
    std::string object;  // "main" or "App.run"
    bool gui = false;
};

struct UnpackedWheel {
    std::filesystem::path root;  // cache/unpacked/<sha256>
    std::string sha256;
    std::string filename;
    std::string name;       // from METADATA, as written
    std::string version;    // from the dist-info directory name
    std::string dist_info;  // "<name>-<version>.dist-info"
    bool root_is_purelib = true;
    std::vector<std::string> files;  // every regular file, relative, sorted
    std::vector<EntryPoint> entry_points;
    std::vector<std::string> top_level;  // import names
    // RECORD's "sha256=..." and size per file, checked when it was unpacked,
    // so installs need not read the files again.
    std::map<std::string, std::pair<std::string, std::string>> record;
};

// Unpacks (single-flight, published by rename) or finds the unpacked tree.
// `sha256`, when the caller knows it (a verified download), saves hashing
// the wheel again.
UnpackedWheel unpack_wheel(const Home& home, const std::filesystem::path& wheel,
                           const std::string& sha256 = {});

// The unpacked tree of the wheel with this sha256 and file name when it is
// in the cache and still matches its manifest; nullopt otherwise (then the
// wheel itself is needed). Reads no wheel.
std::optional<UnpackedWheel> find_unpacked(const Home& home, const std::string& sha256,
                                           const std::string& filename);

}  // namespace omni::install
