#pragma once
// A wheel's own METADATA is the truth about it. Before it is installed it
// must agree with its file name and with the metadata the resolution was
// made from (a PEP 658 file, Range reads of the index's copy, or a cached
// answer): name, version, Requires-Dist and Requires-Python. pip and uv
// refuse such "inconsistent" wheels too.
#include <string_view>

#include "omni/install/unpacked_wheel.hpp"
#include "omni/standards/metadata.hpp"

namespace omni::install {

// The METADATA inside the unpacked wheel, parsed. Error(integrity) naming
// the wheel when it does not parse.
standards::CoreMetadata wheel_metadata(const UnpackedWheel& wheel);

// Error(integrity) naming the wheel and what differs when METADATA's Name or
// Version disagree with the wheel's file name.
void check_metadata_matches_filename(const UnpackedWheel& wheel,
                                     const standards::CoreMetadata& own);

// Error(integrity) naming both sides (`resolved_from`: where the resolution's
// metadata came from) when they disagree on name, version, Requires-Dist or
// Requires-Python.
void check_metadata_matches_resolution(const UnpackedWheel& wheel,
                                       const standards::CoreMetadata& own,
                                       const standards::CoreMetadata& resolved,
                                       std::string_view resolved_from);

}  // namespace omni::install
