#include "index/names.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/sdist_name.hpp"

#include <cctype>

namespace omni::index_detail {

bool is_distribution_filename(std::string_view filename) {
    if (filename.ends_with(".whl"))
        return true;
    return standards::sdist_stem(filename).has_value();
}

std::string project_of_filename(std::string_view filename) {
    if (filename.ends_with(".whl")) {
        const auto dash = filename.find('-');
        if (dash == std::string_view::npos || dash == 0)
            return {};
        return standards::normalize_name(filename.substr(0, dash));
    }
    if (const auto found = standards::sdist_stem(filename)) {
        const std::string_view stem = *found;
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
