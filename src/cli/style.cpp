#include "cli/style.hpp"

#include <unistd.h>

#include <fmt/format.h>

namespace omni::cli {

namespace {

std::string_view sgr(Tone tone) {
    switch (tone) {
        case Tone::error:
            return "1;31";
        case Tone::warning:
            return "1;33";
        case Tone::hint:
            return "1;36";
        case Tone::passed:
            return "32";
        case Tone::failed:
            return "31";
        case Tone::skipped:
            return "33";
        case Tone::version:
            return "36";
        case Tone::path:
            return "4";
        case Tone::heading:
            return "1";
        case Tone::dim:
            return "2";
    }
    return "0";
}

struct Styles {
    Style out{should_color(ColorChoice::automatic, STDOUT_FILENO)};
    Style err{should_color(ColorChoice::automatic, STDERR_FILENO)};
};

Styles& styles() {
    static Styles instance;
    return instance;
}

}  // namespace

std::string Style::paint(Tone tone, std::string_view text) const {
    if (!enabled_ || text.empty())
        return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", sgr(tone), text);
}

const Style& out_style() {
    return styles().out;
}

const Style& err_style() {
    return styles().err;
}

void configure_styles(ColorChoice choice) {
    styles().out = Style(should_color(choice, STDOUT_FILENO));
    styles().err = Style(should_color(choice, STDERR_FILENO));
}

}  // namespace omni::cli
