#include "cli/app.hpp"
#include "cli/shim_main.hpp"

int main(int argc, char** argv) {
    // Under a shim's name, before anything else is set up: shims stay cheap.
    if (const auto status = omni::cli::run_as_shim(argc, argv))
        return *status;
    return omni::cli::run(argc, argv);
}
