#pragma once
// Whether to colour a stream: `--color always|never|auto`, then NO_COLOR
// (no-color.org: any non-empty value turns colour off), then FORCE_COLOR
// (any non-empty value turns it on), then TERM=dumb (off), then whether the
// stream is a terminal.
#include <optional>
#include <string_view>

namespace omni::cli {

enum class ColorChoice { automatic, always, never };

// "auto", "always", "never"; nullopt for anything else.
std::optional<ColorChoice> parse_color_choice(std::string_view text);

bool should_color(ColorChoice choice, int fd);

}  // namespace omni::cli
