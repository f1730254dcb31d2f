#pragma once

namespace omni::cli {

// Parses the command line, runs the command, and maps errors to exit codes.
int run(int argc, char** argv);

}  // namespace omni::cli
