#include "omni/bubble/bubble_set.hpp"

#include <fmt/format.h>

#include "omni/standards/requirement.hpp"
#include "omni/util/error.hpp"

namespace omni::bubble {

std::vector<EnsureResult> ensure_bubbles_together(const ProvisionContext& context,
                                                  const std::vector<std::string>& requirements,
                                                  const PlanOptions& options) {
    if (requirements.size() <= 1) {
        std::vector<EnsureResult> out;
        for (const auto& r : requirements)
            out.push_back(ensure_bubble(context, r, options));
        return out;
    }
    PlanOptions joint = options;
    joint.prefer_installed = false;  // bubbles are their own world
    std::vector<PlannedPackage> plan;
    try {
        plan = plan_install(context, requirements, joint);
    } catch (const Error& e) {
        if (e.code() != ErrorCode::conflict)
            throw;
        throw Error(ErrorCode::conflict,
                    fmt::format("the requirements {} cannot be active together: {}",
                                fmt::join(requirements, ", "), e.what()),
                    "drop or loosen one --with, or run them in separate commands");
    }
    PlanOptions pinned = options;
    for (const auto& p : plan)
        pinned.constraints.push_back(p.name + "==" + p.version);
    std::vector<EnsureResult> out;
    for (const auto& text : requirements) {
        auto requirement = standards::Requirement::parse(text);
        if (!requirement)
            throw requirement.error();
        const auto name = requirement->normalized_name();
        std::string exact = text;
        for (const auto& p : plan)
            if (p.name == name && requirement->extras.empty() && requirement->url.empty())
                exact = p.name + "==" + p.version;
        out.push_back(ensure_bubble(context, exact, pinned));
    }
    return out;
}

}  // namespace omni::bubble
