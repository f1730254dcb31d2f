#pragma once
// `error:`, `warning:` and `hint:` lines on stderr, in the palette of
// style.hpp. Every such line the CLI prints goes through here.
#include <string_view>

#include "omni/util/error.hpp"

namespace omni::cli {

void print_error(std::string_view message);
void print_warning(std::string_view message);
void print_hint(std::string_view message);
// "error: what" and, when the error has one, "hint: what to do".
void print_error(const Error& error);

}  // namespace omni::cli
