#pragma once
// Commands that run another program (exec, run) hand it the rest of the
// command line untouched: its own -c or -m must not reach omni's parser.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace omni::cli {

struct SplitCommandLine {
    std::vector<std::string> omni;         // argv[0] and what omni parses
    std::vector<std::string> passthrough;  // the program's command line
    bool has_passthrough = false;
};

// `omni ... exec [opts] -- CMD ARGS`: CMD ARGS pass through.
// `omni ... run [opts] SCRIPT ARGS` (or `-m MOD ARGS`, `-c CODE ARGS`, or a
// console tool name): the script, module or code and its arguments pass
// through, marked by a first element of "-m" / "-c" where given.
// `takes_value` tells the options (global or of exec/run) whose value is the
// next word.
SplitCommandLine split_command_line(int argc, char** argv,
                                    const std::function<bool(std::string_view)>& takes_value);

}  // namespace omni::cli
