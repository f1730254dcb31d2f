#pragma once
// The index client: the sources pip users know (index-url, extra-index-urls,
// find-links, no-index, offline) combined into one view of a project, plus
// metadata and wheel fetches through the cache.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "omni/home/config.hpp"
#include "omni/home/home.hpp"
#include "omni/index/cache.hpp"
#include "omni/index/project_page.hpp"
#include "omni/index/transport.hpp"

namespace omni {

struct IndexOptions {
    std::string index_url = "https://pypi.org/simple/";
    std::vector<std::string> extra_index_urls;
    std::vector<std::string> find_links;  // directories, file:// URLs or HTML pages
    bool no_index = false;                // ignore index_url and extra_index_urls
    bool offline = false;                 // the cache only
    TransportOptions transport;

    // Whether any source is fetched over the network (http or https, and
    // not offline); local directories and file:// need no parallel guesses.
    bool reaches_network() const;

    // Defaults, then config (index.url, index.extra-urls, index.find-links,
    // index.cert, index.proxy), then the environment (OMNI_INDEX_URL).
    static IndexOptions from_settings(const Config& config);
};

class IndexClient {
  public:
    IndexClient(Home home, IndexOptions options);

    // Every file of `project` across all sources (duplicates by URL dropped),
    // in source order. Empty when no source knows it. Throws on network
    // errors and malformed pages, naming the URL.
    ProjectPage project_page(std::string_view project) const;

    // The METADATA of a wheel: from the PEP 658 file when the page announces
    // one, else by Range reads of the wheel's zip directory, else from the
    // whole wheel. Cached by the wheel's hash.
    std::string fetch_metadata(const DistFile& file) const;

    std::filesystem::path fetch_wheel(const DistFile& file) const;
    // The cached wheel with this sha256 and file name, when the cache holds
    // it intact; never a transfer.
    std::optional<std::filesystem::path> find_cached_wheel(const std::string& sha256,
                                                           const std::string& filename) const;
    std::vector<std::filesystem::path> fetch_wheels(const std::vector<DistFile>& files) const;

    const IndexOptions& options() const { return options_; }

    // A find-links directory's distributions, read once per client (one
    // command): every project's page is cut from the same listing.
    const ProjectPage& find_links_listing(const std::filesystem::path& dir) const;

  private:
    std::string metadata_from_file(const DistFile& file) const;
    std::string metadata_by_range(const DistFile& file) const;

    Home home_;
    IndexOptions options_;
    HttpCache pages_;
    WheelCache wheels_;
    struct Listings {
        std::mutex mutex;
        std::map<std::string, std::shared_ptr<const ProjectPage>> by_dir;
    };
    std::shared_ptr<Listings> listings_ = std::make_shared<Listings>();
};

}  // namespace omni
