#include "cli/diagnostics.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "cli/style.hpp"

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

void print_error(const Error& error) {
    print_error(std::string_view(error.what()));
    if (!error.hint().empty())
        print_hint(error.hint());
}

}  // namespace omni::cli
