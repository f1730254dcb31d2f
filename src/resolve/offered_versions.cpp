#include "omni/resolve/offered_versions.hpp"

#include <map>

#include <fmt/format.h>

#include "omni/home/cache_lock.hpp"
#include "omni/resolve/index_source.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/wheel_name.hpp"
#include "omni/util/log.hpp"

namespace omni::resolve {

std::vector<OfferedVersion> offered_versions(const Home& home, const IndexClient& index,
                                             const python::InterpreterInfo& interpreter,
                                             std::string_view project) {
    const auto cache = use_cache(home);
    const auto name = standards::normalize_name(project);
    const auto page = index.project_page(name);
    if (page.files.empty())
        throw Error(ErrorCode::not_found,
                    fmt::format("no project named '{}' in the configured sources", project));
    std::map<standards::Version, OfferedVersion> all;
    for (const auto& f : page.files) {
        if (!f.is_wheel())
            continue;
        if (auto w = standards::WheelName::parse(f.filename)) {
            auto& offered = all.try_emplace(w->version, OfferedVersion{w->version}).first->second;
            offered.yanked = f.yanked;
        }
    }
    std::vector<Candidate> compatible;
    try {
        compatible = IndexSource(index, interpreter).versions(name);
    } catch (const Error& e) {
        logger().info("no version of {} checked against {}: {}", name, interpreter.describe(),
                      e.what());
    }
    const auto python = standards::Version::parse(interpreter.version.str());
    for (const auto& c : compatible) {
        auto& offered = all.try_emplace(c.version, OfferedVersion{c.version}).first->second;
        offered.compatible =
            !c.requires_python || !python || c.requires_python->contains(*python, true);
    }
    std::vector<OfferedVersion> out;
    for (auto it = all.rbegin(); it != all.rend(); ++it)
        out.push_back(it->second);
    return out;
}

}  // namespace omni::resolve
