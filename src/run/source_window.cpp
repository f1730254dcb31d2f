#include "run/source_window.hpp"

#include <sstream>

namespace omni::run {

const Frame* innermost(const FailureContext& context) {
    const auto& frames = context.traceback.frames;
    return frames.empty() ? nullptr : &frames.back();
}

std::string top_level(std::string_view module) {
    return std::string(module.substr(0, module.find('.')));
}

const Frame* script_frame(const FailureContext& context) {
    const auto& frames = context.traceback.frames;
    for (auto it = frames.rbegin(); it != frames.rend(); ++it)
        if (!context.script_path.empty() && it->file == context.script_path)
            return &*it;
    return nullptr;
}

std::vector<std::string> failure_window(const FailureContext& context, int before) {
    const Frame* frame = script_frame(context);
    if (frame && !context.script_source.empty() && frame->line > 0) {
        std::vector<std::string> lines;
        std::istringstream in(context.script_source);
        std::string line;
        for (int n = 1; std::getline(in, line) && n <= frame->line; ++n)
            if (n >= frame->line - before)
                lines.push_back(line);
        if (!lines.empty())
            return lines;
    }
    if (const auto* last = innermost(context); last && !last->source.empty())
        return {last->source};
    return {};
}

}  // namespace omni::run
