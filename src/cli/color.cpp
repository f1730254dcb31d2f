#include "cli/color.hpp"

#include <cstdlib>
#include <string_view>

#include "cli/terminal.hpp"

namespace omni::cli {

namespace {

bool set_non_empty(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0';
}

}  // namespace

std::optional<ColorChoice> parse_color_choice(std::string_view text) {
    if (text == "auto")
        return ColorChoice::automatic;
    if (text == "always")
        return ColorChoice::always;
    if (text == "never")
        return ColorChoice::never;
    return std::nullopt;
}

bool should_color(ColorChoice choice, int fd) {
    switch (choice) {
        case ColorChoice::always:
            return true;
        case ColorChoice::never:
            return false;
        case ColorChoice::automatic:
            break;
    }
    if (set_non_empty("NO_COLOR"))
        return false;
    if (set_non_empty("FORCE_COLOR"))
        return true;
    const char* term = std::getenv("TERM");
    if (term != nullptr && std::string_view(term) == "dumb")
        return false;
    return is_terminal(fd);
}

}  // namespace omni::cli
