#include "omni/matrix/python_axis.hpp"

#include <map>

#include <fmt/format.h>

#include "omni/resolve/index_source.hpp"
#include "omni/standards/name.hpp"

namespace omni::matrix {

PythonAxis requires_python_axis(const IndexClient& index, const std::string& package,
                                const std::vector<std::string>& versions,
                                const std::vector<python::InterpreterInfo>& available) {
    // The registry lists the best interpreter first; keep the first of each X.Y.
    std::map<std::pair<int, int>, const python::InterpreterInfo*> by_minor;
    for (const auto& info : available)
        if (info.implementation == "cpython" && !info.free_threaded)
            by_minor.try_emplace({info.version.major, info.version.minor}, &info);
    PythonAxis axis;
    const auto name = standards::normalize_name(package);
    for (const auto& [minor, info] : by_minor) {
        const auto full = standards::Version::parse(info->version.str());
        resolve::IndexSource source(index, *info);
        std::vector<resolve::Candidate> offered;
        try {
            offered = source.versions(name);
        } catch (const Error& e) {
            if (e.code() != ErrorCode::not_found)
                throw;
        }
        const auto x_y = fmt::format("{}.{}", minor.first, minor.second);
        std::vector<std::string> excluded;
        for (const auto& text : versions) {
            const auto wanted = standards::Version::parse(text);
            const auto it = std::find_if(offered.begin(), offered.end(), [&](const auto& c) {
                return wanted && c.version == *wanted;
            });
            bool admitted = it != offered.end() && full;
            if (admitted) {
                const auto requires_python =
                    it->requires_python ? it->requires_python
                                        : source.metadata_requires_python(name, it->version);
                admitted = !requires_python || requires_python->contains(*full, true);
            }
            if (!admitted)
                excluded.push_back(x_y + ":" + text);
        }
        if (excluded.size() == versions.size())
            continue;
        axis.pythons.push_back(x_y);
        axis.exclude.insert(axis.exclude.end(), excluded.begin(), excluded.end());
    }
    return axis;
}

}  // namespace omni::matrix
