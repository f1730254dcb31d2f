#include "index/names.hpp"
#include "omni/standards/name.hpp"

#include <array>
#include <cctype>

namespace omni::index_detail {

namespace {
constexpr std::array<std::string_view, 5> sdist_suffixes = {".tar.gz", ".zip", ".tar.bz2",
                                                            ".tar.xz", ".tgz"};
}

bool is_distribution_filename(std::string_view filename) {
    if (filename.ends_with(".whl"))
        return true;
    for (const auto suffix : sdist_suffixes)
        if (filename.ends_with(suffix))
            return true;
    return false;
}

std::string project_of_filename(std::string_view filename) {
    if (filename.ends_with(".whl")) {
        const auto dash = filename.find('-');
        if (dash == std::string_view::npos || dash == 0)
            return {};
        return standards::normalize_name(filename.substr(0, dash));
    }
    for (const auto suffix : sdist_suffixes) {
        if (!filename.ends_with(suffix))
            continue;
        const auto stem = filename.substr(0, filename.size() - suffix.size());
        // name-version: the version starts after the last '-' followed by a digit.
        for (auto pos = stem.rfind('-'); pos != std::string_view::npos && pos > 0;
             pos = stem.rfind('-', pos - 1)) {
            if (pos + 1 < stem.size() && std::isdigit(static_cast<unsigned char>(stem[pos + 1])))
                return standards::normalize_name(stem.substr(0, pos));
            if (pos == 0)
                break;
        }
        return {};
    }
    return {};
}

}  // namespace omni::index_detail
