#include "omni/bubble/activation.hpp"

namespace omni::bubble {

namespace {

std::string join_in_front(const std::vector<std::string>& front, const char* rest) {
    std::string out;
    for (const auto& item : front) {
        if (!out.empty())
            out += ':';
        out += item;
    }
    if (rest != nullptr && *rest != '\0') {
        if (!out.empty())
            out += ':';
        out += rest;
    }
    return out;
}

}  // namespace

std::map<std::string, std::optional<std::string>> activation_environment(
    const std::vector<BubbleInfo>& bubbles, const char* current_pythonpath,
    const char* current_path) {
    std::vector<std::string> paths, scripts;
    for (const auto& b : bubbles) {
        paths.push_back(b.path.string());
        std::error_code ec;
        if (std::filesystem::is_directory(b.scripts_dir(), ec))
            scripts.push_back(b.scripts_dir().string());
    }
    std::map<std::string, std::optional<std::string>> env;
    env["PYTHONPATH"] = join_in_front(paths, current_pythonpath);
    if (!scripts.empty())
        env["PATH"] = join_in_front(scripts, current_path);
    return env;
}

}  // namespace omni::bubble
