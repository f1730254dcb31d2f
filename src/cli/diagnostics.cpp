#include "cli/diagnostics.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "cli/style.hpp"
#include "omni/index/url.hpp"

namespace omni::cli {

namespace {

void print_labelled(Tone tone, std::string_view label, std::string_view message) {
    fmt::print(stderr, "{} {}\n", err_style().paint(tone, label), message);
    std::fflush(stderr);
}

}  // namespace

void print_error(std::string_view message) {
    print_labelled(Tone::error, "error:", message);
}

void print_warning(std::string_view message) {
    print_labelled(Tone::warning, "warning:", message);
}

void print_hint(std::string_view message) {
    print_labelled(Tone::hint, "hint:", message);
}

// Whatever an error carries, a password in a URL is never printed.
void print_error(const Error& error) {
    print_error(std::string_view(redact_credentials(error.what())));
    if (!error.hint().empty())
        print_hint(redact_credentials(error.hint()));
}

}  // namespace omni::cli
