#include "omni/run/consent.hpp"

#include <fmt/format.h>

namespace omni::run {

NewPackagePolicy new_package_policy(const Config& config, bool yes) {
    const auto value = config.get("heal.new-packages");
    std::string text = "ask";
    if (value) {
        if (!value->is_string())
            throw Error(ErrorCode::invalid_input,
                        fmt::format("config heal.new-packages is {}, not a string", value->dump()),
                        "set it to ask, allow or deny: omni config set heal.new-packages ask");
        text = value->get<std::string>();
    }
    if (text == "deny")
        return NewPackagePolicy::deny;
    if (text != "ask" && text != "allow")
        throw Error(ErrorCode::invalid_input, fmt::format("config heal.new-packages is '{}'", text),
                    "set it to ask, allow or deny: omni config set heal.new-packages ask");
    return yes || text == "allow" ? NewPackagePolicy::allow : NewPackagePolicy::ask;
}

}  // namespace omni::run
