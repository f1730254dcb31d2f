#pragma once
// How omni's options take their values, in pip's manner: an option that may
// repeat takes exactly one value per flag (`-f A -f B pkg`: `pkg` stays a
// requirement), and a comma list splits into its names.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace omni::cli {

// NAMES takes one value per flag and may repeat; the values collect in order.
inline CLI::Option* add_repeatable(CLI::App& app, const std::string& names,
                                   std::vector<std::string>& values,
                                   const std::string& description) {
    return app.add_option(names, values, description)
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
}

// As add_repeatable, and each value may be a comma list (pip's --no-binary).
inline CLI::Option* add_comma_list(CLI::App& app, const std::string& names,
                                   std::vector<std::string>& values,
                                   const std::string& description) {
    return add_repeatable(app, names, values, description)->delimiter(',');
}

}  // namespace omni::cli
