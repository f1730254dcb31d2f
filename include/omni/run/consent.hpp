#pragma once
// Consent for distributions new to this machine (heal.new-packages): `ask`
// (the default), `allow` or `deny`. A `deny` in the config beats --yes:
// the machine's owner said no, and a flag typed for one run does not
// overrule that.
#include "omni/home/config.hpp"
#include "omni/run/healer.hpp"

namespace omni::run {

// Error(invalid_input) naming the value when the config holds anything else.
NewPackagePolicy new_package_policy(const Config& config, bool yes);

}  // namespace omni::run
