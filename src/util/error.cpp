#include "omni/util/error.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace omni {

int exit_status(ErrorCode code) {
    switch (code) {
        case ErrorCode::usage:
            return 2;
        case ErrorCode::invalid_input:
            return 3;
        case ErrorCode::not_found:
            return 4;
        case ErrorCode::conflict:
            return 5;
        case ErrorCode::io:
            return 6;
        case ErrorCode::lock_timeout:
            return 7;
        case ErrorCode::process:
            return 8;
        case ErrorCode::network:
            return 9;
        case ErrorCode::integrity:
            return 10;
        case ErrorCode::corrupt_state:
            return 11;
        case ErrorCode::internal:
            return 70;
    }
    return 70;
}

std::string_view to_string(ErrorCode code) {
    switch (code) {
        case ErrorCode::usage:
            return "usage";
        case ErrorCode::invalid_input:
            return "invalid input";
        case ErrorCode::not_found:
            return "not found";
        case ErrorCode::conflict:
            return "conflict";
        case ErrorCode::io:
            return "i/o";
        case ErrorCode::lock_timeout:
            return "lock timeout";
        case ErrorCode::process:
            return "process";
        case ErrorCode::network:
            return "network";
        case ErrorCode::integrity:
            return "integrity";
        case ErrorCode::corrupt_state:
            return "corrupt state";
        case ErrorCode::internal:
            return "internal";
    }
    return "internal";
}

Error::Error(ErrorCode code, std::string message, std::string hint)
    : std::runtime_error(std::move(message)), code_(code), hint_(std::move(hint)) {}

Error parse_error(std::string_view what, std::string_view input, std::size_t pos,
                  std::string_view reason) {
    if (pos > input.size())
        pos = input.size();
    return Error(ErrorCode::invalid_input, fmt::format("invalid {} '{}': {}\n  {}\n  {:>{}}", what,
                                                       input, reason, input, "^", pos + 1));
}

void throw_errno(std::string_view action, std::string_view path, int err) {
    if (err == ENOSPC || err == EDQUOT)
        throw Error(
            ErrorCode::io,
            fmt::format("cannot {} '{}': the disk is full ({})", action, path, std::strerror(err)),
            "free some space on that file system and run the command again");
    throw Error(ErrorCode::io, fmt::format("cannot {} '{}': {}", action, path, std::strerror(err)));
}

}  // namespace omni
