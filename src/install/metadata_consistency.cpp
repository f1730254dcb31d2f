#include "omni/install/metadata_consistency.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "omni/standards/name.hpp"
#include "omni/standards/wheel_name.hpp"
#include "omni/util/fs.hpp"

namespace omni::install {

namespace {

Error inconsistent(const UnpackedWheel& wheel, const std::string& what) {
    return Error(ErrorCode::integrity,
                 fmt::format("inconsistent wheel {}: {}", wheel.filename, what),
                 "the index serves metadata that does not match its files; nothing was "
                 "installed (report it to the index, or pin another version)");
}

std::vector<std::string> requirement_strings(const standards::CoreMetadata& m) {
    std::vector<std::string> out;
    for (const auto& r : m.requires_dist)
        out.push_back(r.to_string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string requires_python(const standards::CoreMetadata& m) {
    return m.requires_python ? m.requires_python->to_string() : "(none)";
}

}  // namespace

standards::CoreMetadata wheel_metadata(const UnpackedWheel& wheel) {
    const auto path = wheel.root / wheel.dist_info / "METADATA";
    auto parsed = standards::CoreMetadata::parse(fs::read_file(path));
    if (!parsed)
        throw Error(ErrorCode::integrity, fmt::format("the METADATA of {} does not parse: {}",
                                                      wheel.filename, parsed.error().what()));
    return std::move(*parsed);
}

void check_metadata_matches_filename(const UnpackedWheel& wheel,
                                     const standards::CoreMetadata& own) {
    const auto name = standards::WheelName::parse(wheel.filename);
    if (!name)
        throw inconsistent(wheel, "the file name is not a wheel's");
    if (standards::normalize_name(own.name) != name->name)
        throw inconsistent(wheel, fmt::format("its METADATA says Name: {}, its file name says {}",
                                              own.name, name->name));
    if (own.version != name->version)
        throw inconsistent(wheel,
                           fmt::format("its METADATA says Version: {}, its file name says {}",
                                       own.version.to_string(), name->version.to_string()));
}

void check_metadata_matches_resolution(const UnpackedWheel& wheel,
                                       const standards::CoreMetadata& own,
                                       const standards::CoreMetadata& resolved,
                                       std::string_view resolved_from) {
    const auto differs = [&](std::string_view field, const std::string& in_wheel,
                             const std::string& used) {
        throw inconsistent(wheel, fmt::format("its METADATA says {}: {}, but the resolution used "
                                              "{}: {} from {}",
                                              field, in_wheel, field, used, resolved_from));
    };
    if (standards::normalize_name(own.name) != standards::normalize_name(resolved.name))
        differs("Name", own.name, resolved.name);
    if (own.version != resolved.version)
        differs("Version", own.version.to_string(), resolved.version.to_string());
    const auto mine = requirement_strings(own), used = requirement_strings(resolved);
    if (mine != used)
        differs("Requires-Dist", fmt::format("[{}]", fmt::join(mine, ", ")),
                fmt::format("[{}]", fmt::join(used, ", ")));
    if (requires_python(own) != requires_python(resolved))
        differs("Requires-Python", requires_python(own), requires_python(resolved));
}

}  // namespace omni::install
