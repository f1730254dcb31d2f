#pragma once
// The one error type of omni. Library code throws omni::Error for
// environmental failures and returns omni::Result<T> from parsers; the CLI
// turns both into one message and an exit status.
#include <cstddef>
#include <expected>
#include <stdexcept>
#include <string>
#include <string_view>

namespace omni {

enum class ErrorCode {
    usage,          // the command line itself is wrong
    invalid_input,  // a value the user gave does not parse or is not allowed
    not_found,      // a named thing (interpreter, package, key) does not exist
    conflict,       // requirements that cannot all hold
    io,             // the file system refused
    lock_timeout,   // another omni process held a lock for too long
    process,        // a child process could not be started
    network,        // a transfer failed
    integrity,      // a hash or archive check failed
    corrupt_state,  // a file omni owns is unreadable (config, registry, ...)
    internal,       // a bug in omni
};

// Exit status for an error code; 0 is success, 1 is a child's failure.
int exit_status(ErrorCode code);
std::string_view to_string(ErrorCode code);

class Error : public std::runtime_error {
  public:
    Error(ErrorCode code, std::string message, std::string hint = {});

    ErrorCode code() const noexcept { return code_; }
    // What the user can do about it; may be empty.
    const std::string& hint() const noexcept { return hint_; }

  private:
    ErrorCode code_;
    std::string hint_;
};

template <class T>
using Result = std::expected<T, Error>;

// A parse error that quotes the input with a caret under position `pos`:
//   invalid version '1.0.x': unexpected character
//     1.0.x
//         ^
Error parse_error(std::string_view what, std::string_view input, std::size_t pos,
                  std::string_view reason);

// An io error from errno, naming the path and the action.
[[noreturn]] void throw_errno(std::string_view action, std::string_view path, int err);

}  // namespace omni
