#pragma once
// The one palette of omni's output. Every coloured thing the CLI prints is
// painted with a Tone, so an error looks the same wherever it comes from and
// colour is switched off in one place (see color.hpp).
#include <string>
#include <string_view>

#include "cli/color.hpp"

namespace omni::cli {

enum class Tone {
    error,    // "error:" labels, failed things
    warning,  // "warning:" labels
    hint,     // "hint:" labels
    passed,
    failed,
    skipped,  // also "timed out" and what did not run
    version,
    path,
    heading,  // column heads, names of things
    dim,      // secondary detail: times, counts
};

class Style {
  public:
    explicit Style(bool enabled = false) : enabled_(enabled) {}
    bool enabled() const { return enabled_; }
    // `text` wrapped in the tone's SGR codes, or unchanged when colour is off.
    std::string paint(Tone tone, std::string_view text) const;

  private:
    bool enabled_;
};

// The styles of stdout and stderr. Until configure_styles runs (after the
// command line is parsed) they follow ColorChoice::automatic.
const Style& out_style();
const Style& err_style();
void configure_styles(ColorChoice choice);

}  // namespace omni::cli
