#include "resolve/package_table.hpp"

namespace omni::resolve {

std::string describe(const PackageInfo& package, const VersionSet& set) {
    const auto& c = package.candidates;
    if (package.is_root())
        return "your requirements";
    if (c.empty() || (set.is_all() && c.size() > 1))
        return package.display();
    std::string out = package.display() + " ";
    bool first = true;
    for (std::size_t i = 0; i < c.size();) {
        if (!set.contains(i)) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j + 1 < c.size() && set.contains(j + 1))
            ++j;
        if (!first)
            out += " | ";
        first = false;
        if (i == j) {
            out += "==" + c[i].version.to_string();
        } else {
            std::string range;
            if (i > 0)
                range = ">=" + c[i].version.to_string();
            if (j + 1 < c.size())
                range += (range.empty() ? "<=" : ",<=") + c[j].version.to_string();
            out += range;
        }
        i = j + 1;
    }
    return out;
}

}  // namespace omni::resolve
