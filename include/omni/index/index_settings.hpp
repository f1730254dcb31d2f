#pragma once
// The index client's options from omni's layered settings (command line,
// OMNI_*, config, PIP_*/UV_*, pip.conf; see omni/home/settings.hpp).
#include "omni/home/settings.hpp"
#include "omni/index/index_client.hpp"

namespace omni {

// index.url, index.extra-urls, index.find-links, index.no-index,
// index.offline, index.cert, index.cert-dir and index.proxy. A find-links
// entry that is neither an existing directory nor a URL is dropped with a
// warning naming where it was set, as pip does.
IndexOptions index_options(const Settings& settings);

}  // namespace omni
