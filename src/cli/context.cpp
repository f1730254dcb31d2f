#include "cli/context.hpp"

#include "omni/home/staging.hpp"

namespace omni::cli {

const Home& Context::home() {
    if (!home_) {
        Home home = Home::from_environment();
        home.ensure_layout();
        remove_stale_staging(home);
        remove_stale_temp_files(home.root());
        home_ = std::move(home);
    }
    return *home_;
}

}  // namespace omni::cli
