#pragma once
// How index activity (IndexProgress events) is shown on stderr: on a
// terminal one line redrawn in place; elsewhere a plain line at most once a
// second; a summary line at the end when anything was fetched; nothing when
// quiet.
#include <memory>

#include "omni/index/progress.hpp"

namespace omni::cli {

std::shared_ptr<IndexMeter> make_index_meter(bool quiet, bool terminal);

}  // namespace omni::cli
