#include "omni/standards/wheel_name.hpp"

#include <algorithm>

#include "omni/standards/name.hpp"
#include "standards/text.hpp"

namespace omni::standards {

namespace {
std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t at = s.find(sep, start);
        out.push_back(s.substr(start, at - start));
        if (at == std::string_view::npos)
            break;
        start = at + 1;
    }
    return out;
}
}  // namespace

std::vector<Tag> parse_tag_set(std::string_view text) {
    std::vector<Tag> out;
    const auto parts = split(text, '-');
    if (parts.size() != 3)
        return out;
    for (auto i : split(parts[0], '.')) {
        for (auto a : split(parts[1], '.')) {
            for (auto p : split(parts[2], '.')) {
                Tag t{text::to_lower(i), text::to_lower(a), text::to_lower(p)};
                if (std::find(out.begin(), out.end(), t) == out.end())
                    out.push_back(std::move(t));
            }
        }
    }
    return out;
}

Result<WheelName> WheelName::parse(std::string_view filename) {
    auto fail = [&](std::size_t pos, std::string_view reason) -> Result<WheelName> {
        return std::unexpected(parse_error("wheel file name", filename, pos, reason));
    };
    if (!filename.ends_with(".whl"))
        return fail(filename.size(), "a wheel name ends in '.whl'");
    const std::string_view stem = filename.substr(0, filename.size() - 4);
    const auto dashes = static_cast<std::size_t>(std::count(stem.begin(), stem.end(), '-'));
    if (dashes != 4 && dashes != 5) {
        return fail(0, "expected name-version[-build]-python-abi-platform.whl");
    }
    // The name, the version and the build tag are the first dash-separated
    // fields; the last three form the tag set.
    std::vector<std::size_t> starts = {0};
    for (std::size_t i = 0; i < stem.size(); ++i) {
        if (stem[i] == '-')
            starts.push_back(i + 1);
    }
    auto field = [&](std::size_t k) {
        const std::size_t end = k + 1 < starts.size() ? starts[k + 1] - 1 : stem.size();
        return stem.substr(starts[k], end - starts[k]);
    };
    const std::string_view name = field(0);
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (!(text::is_alnum(c) || c == '_' || c == '.') ||
            (c == '_' && i + 1 < name.size() && name[i + 1] == '_')) {
            return fail(i, "invalid project name in a wheel file name");
        }
    }
    WheelName w{normalize_name(name), *Version::parse("0"), std::nullopt, {}};
    auto version = Version::parse_raw(field(1));
    if (!version)
        return fail(starts[1] + version.error().pos, version.error().reason);
    w.version = std::move(*version);
    std::size_t tag_field = 2;
    if (dashes == 5) {
        const std::string_view build = field(2);
        std::size_t pos = 0;
        auto number = text::read_number(build, pos);
        if (pos == 0)
            return fail(starts[2], "a build tag starts with a digit");
        if (!number)
            return fail(starts[2], "number too large");
        w.build = BuildTag{*number, std::string(build.substr(pos))};
        tag_field = 3;
    }
    w.tags = parse_tag_set(stem.substr(starts[tag_field]));
    return w;
}

}  // namespace omni::standards
