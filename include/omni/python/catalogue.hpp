#pragma once
// The downloads omni can install: python-build-standalone releases, one
// entry per archive (version, implementation, machine, libc, variant, URL,
// sha256). The catalogue is data: data/python-downloads.json is built into
// the binary, `omni python update-catalogue` writes a newer one to
// $OMNI_HOME/python-downloads.json, and OMNI_PYTHON_CATALOGUE=FILE overrides
// both. The schema is in docs/commands/python.md.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "omni/home/home.hpp"
#include "omni/index/transport.hpp"
#include "omni/python/request.hpp"
#include "omni/python/version.hpp"
#include "omni/util/error.hpp"

namespace omni::python {

// Where python-build-standalone publishes its archives; a mirror replaces
// this prefix and keeps "<tag>/<filename>".
inline constexpr std::string_view pbs_download_base =
    "https://github.com/astral-sh/python-build-standalone/releases/download";
inline constexpr std::string_view pbs_releases_api =
    "https://api.github.com/repos/astral-sh/python-build-standalone/releases";

struct Download {
    std::string implementation = "cpython";
    PythonVersion version;
    std::string tag;      // the release: "20241016"
    std::string arch;     // "x86_64", "aarch64"
    std::string os;       // "linux"
    std::string libc;     // "gnu", "musl"
    std::string variant;  // "install_only", "install_only_stripped"
    bool free_threaded = false;
    std::string filename;  // cpython-3.12.7+20241016-x86_64-unknown-linux-gnu-install_only.tar.gz
    std::string url;
    std::string sha256;      // lower-case hex
    std::uint64_t size = 0;  // bytes, 0 when unknown (the download's Content-Length then)

    bool prerelease() const { return version.level != 3; }

    // "cpython-3.12.7-linux-x86_64-gnu": its directory under interpreters/.
    std::string install_name() const;
    // The URL to fetch: `url`, or with a mirror "<mirror>/<tag>/<filename>".
    std::string url_via(std::string_view mirror) const;
    // "cpython 3.12.7 (linux x86_64 gnu, install_only, 20241016)", with
    // "pre-release, " first in the parentheses for one.
    std::string describe() const;
};

struct Catalogue {
    std::vector<Download> downloads;
    std::string origin;  // where it was read from, for messages

    // Entries that are malformed are an error naming the entry (also a
    // "prerelease" flag that disagrees with the version); unknown fields are
    // ignored so newer catalogues stay readable.
    static Result<Catalogue> parse(std::string_view text, std::string_view origin);
    std::string to_json() const;
};

// What this machine can run.
struct Platform {
    std::string arch;          // uname -m, with arm64 as aarch64
    std::string os = "linux";  // or "macos"
    std::string libc;          // "gnu" or "musl"; "none" on macOS

    static Platform current();
    std::string describe() const;  // "linux x86_64 gnu"
};

// The variants omni can install (archives with a top-level python/), most
// preferred first.
bool installable_variant(std::string_view variant);

// The best download for a request on a platform: the newest final release
// the request matches (free-threaded builds only for "3.13t", and only
// those), install_only before install_only_stripped, then the newest tag.
// A pre-release only when the request names one ("3.14.0rc1",
// ">=3.15.0b1"). Error(not_found) names the request and the platform and
// lists what is available; when only a pre-release matches, it names that
// pre-release to ask for it by name. A path request is Error(invalid_input).
Result<Download> select_download(const Catalogue& catalogue, const PythonRequest& request,
                                 const Platform& platform);
// The installable downloads for a platform, one per install name (version,
// free-threaded or not), newest version first, the GIL build before the
// free-threaded one of a version.
std::vector<Download> available_downloads(const Catalogue& catalogue, const Platform& platform);

// The catalogue in effect: $OMNI_PYTHON_CATALOGUE, else
// $OMNI_HOME/python-downloads.json, else the one built in.
std::filesystem::path home_catalogue_file(const Home& home);
Catalogue load_catalogue(const Home& home);
Catalogue builtin_catalogue();

// Parses a python-build-standalone archive name; false when it is not one
// (or is for another OS). Fills everything but url, sha256 and size.
bool parse_pbs_filename(std::string_view filename, std::string_view tag, Download& out);

struct CatalogueUpdate {
    std::string api_url = std::string(pbs_releases_api);
    int max_pages = 5;
    TransportOptions transport;
};
struct CatalogueUpdateOutcome {
    std::filesystem::path file;
    std::size_t releases = 0;
    std::size_t downloads = 0;
};
// Reads the releases API (pages of 100 releases) and each release's
// SHA256SUMS, keeps the Linux install_only archives and writes
// $OMNI_HOME/python-downloads.json atomically. Nothing is written on error.
CatalogueUpdateOutcome update_catalogue(const Home& home, const CatalogueUpdate& options);

}  // namespace omni::python
