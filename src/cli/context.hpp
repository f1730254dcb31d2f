#pragma once
// What every subcommand shares: global options and the home, opened lazily
// so that `omni --version` touches nothing on disk.
#include <optional>
#include <string>

#include "omni/home/home.hpp"

namespace omni::cli {

struct GlobalOptions {
    int verbosity = 0;  // -v count
    bool quiet = false;
    std::string log_file;
};

class Context {
  public:
    GlobalOptions options;

    // The home with its layout created and stale staging removed.
    const Home& home();

  private:
    std::optional<Home> home_;
};

}  // namespace omni::cli
