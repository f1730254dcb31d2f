#pragma once
// Asks an interpreter about itself: one child process running a small script
// (valid Python 2.7 and 3.x) that prints one JSON line after a marker.
#include <chrono>
#include <filesystem>
#include <string_view>

#include "omni/python/interpreter.hpp"
#include "omni/util/error.hpp"

namespace omni::python {

std::string_view query_script();

// Reads the script's output; a missing marker or bad JSON is an error that
// quotes the start of the output.
Result<InterpreterInfo> parse_query_output(std::string_view out, const std::filesystem::path& path);

// Runs the query. A child that cannot start, crashes, times out or prints
// garbage is an error value, never an exception: callers skip it.
Result<InterpreterInfo> query_interpreter(
    const std::filesystem::path& path,
    std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace omni::python
