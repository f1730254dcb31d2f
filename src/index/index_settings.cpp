#include "omni/index/index_settings.hpp"

#include <filesystem>

#include "omni/util/log.hpp"

namespace omni {

IndexOptions index_options(const Settings& settings) {
    IndexOptions options;
    if (auto url = settings.text("index.url"))
        options.index_url = *url;
    options.extra_index_urls = settings.list("index.extra-urls");
    for (const auto& links : settings.list("index.find-links")) {
        std::error_code ec;
        const bool url = links.starts_with("http://") || links.starts_with("https://") ||
                         links.starts_with("file://");
        if (!url && !std::filesystem::is_directory(links, ec)) {
            const auto* from = settings.get("index.find-links");
            logger().warn("find-links '{}' (from {}) is ignored: it is no directory and no URL",
                          links, from ? from->origin : "settings");
            continue;
        }
        options.find_links.push_back(links);
    }
    options.no_index = settings.flag("index.no-index");
    options.offline = settings.flag("index.offline");
    if (auto cert = settings.text("index.cert"))
        options.transport.ca_cert = *cert;
    if (auto dir = settings.text("index.cert-dir"))
        options.transport.ca_path = *dir;
    if (auto proxy = settings.text("index.proxy"))
        options.transport.proxy = *proxy;
    return options;
}

}  // namespace omni
