#include "cli/passthrough.hpp"

#include <algorithm>

namespace omni::cli {

SplitCommandLine split_command_line(int argc, char** argv,
                                    const std::function<bool(std::string_view)>& takes_value) {
    SplitCommandLine out;
    std::vector<std::string> args(argv, argv + argc);
    std::size_t i = 1;
    // Find the subcommand, skipping global options and their values.
    for (; i < args.size(); ++i) {
        if (args[i] == "exec" || args[i] == "run")
            break;
        if (!args[i].starts_with("-")) {
            out.omni = args;  // another subcommand: nothing passes through
            return out;
        }
        if (takes_value(args[i]))
            ++i;
    }
    if (i >= args.size()) {
        out.omni = args;
        return out;
    }
    const bool run = args[i] == "run";
    std::size_t j = i + 1;
    for (; j < args.size(); ++j) {
        const auto& a = args[j];
        if (a == "--") {
            out.omni.assign(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(j));
            out.passthrough.assign(args.begin() + static_cast<std::ptrdiff_t>(j) + 1, args.end());
            out.has_passthrough = true;
            return out;
        }
        if (run && (a == "-m" || a == "-c"))
            break;  // python's own flags start the program
        if (a.starts_with("-")) {
            if (takes_value(a))
                ++j;
            continue;
        }
        if (run)
            break;  // the script or tool
    }
    out.omni.assign(args.begin(),
                    args.begin() + static_cast<std::ptrdiff_t>(std::min(j, args.size())));
    if (j < args.size()) {
        out.passthrough.assign(args.begin() + static_cast<std::ptrdiff_t>(j), args.end());
        out.has_passthrough = true;
    }
    return out;
}

}  // namespace omni::cli
