#pragma once
// Runs the built omni binary with a given OMNI_HOME, as a user would.
#include <filesystem>
#include <string>
#include <vector>

#include "omni/util/process.hpp"

namespace omni::test {

inline ProcessResult omni_cli(const std::filesystem::path& home, std::vector<std::string> args,
                              std::map<std::string, std::optional<std::string>> env = {}) {
    ProcessOptions options;
    options.argv = {OMNI_BINARY};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.env = std::move(env);
    options.env["OMNI_HOME"] = home.string();
    options.timeout = std::chrono::seconds(120);
    return run_process(options);
}

}  // namespace omni::test
