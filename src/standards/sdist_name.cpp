#include "omni/standards/sdist_name.hpp"

#include <array>

namespace omni::standards {

std::optional<std::string_view> sdist_stem(std::string_view filename) {
    constexpr std::array<std::string_view, 5> suffixes = {".tar.gz", ".zip", ".tar.bz2", ".tar.xz",
                                                          ".tgz"};
    for (const auto suffix : suffixes)
        if (filename.ends_with(suffix))
            return filename.substr(0, filename.size() - suffix.size());
    return std::nullopt;
}

}  // namespace omni::standards
