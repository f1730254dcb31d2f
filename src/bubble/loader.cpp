#include "omni/bubble/loader.hpp"

#include <string>
#include <vector>

#include "omni/install/env_transaction.hpp"
#include "omni/omni_loader_py.hpp"
#include "omni/util/fs.hpp"

namespace omni::bubble {

namespace {

void replace_all(std::string& text, std::string_view from, const std::string& to) {
    for (auto pos = text.find(from); pos != std::string::npos;
         pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
}

// The text of a Python string literal between double quotes.
std::string python_string(std::string text) {
    replace_all(text, "\\", "\\\\");
    replace_all(text, "\"", "\\\"");
    return text;
}

}  // namespace

bool ensure_loader(const std::filesystem::path& env_root, const Home& home) {
    std::string text = omni_loader_py;
    std::error_code ec;
    replace_all(text, "@OMNI_BINARY@",
                python_string(std::filesystem::read_symlink("/proc/self/exe", ec).string()));
    replace_all(text, "@OMNI_HOME@", python_string(home.root().string()));
    std::vector<std::filesystem::path> stale;
    for (const auto& lib : std::filesystem::directory_iterator(env_root / "lib", ec)) {
        const auto site = lib.path() / "site-packages";
        if (!lib.path().filename().string().starts_with("python") ||
            !std::filesystem::is_directory(site))
            continue;
        const auto file = site / "omni_loader.py";
        if (!std::filesystem::exists(file) || fs::read_file(file) != text)
            stale.push_back(file);
    }
    if (stale.empty())
        return false;
    // A change of the env like any other: under its lock.
    const auto lock = install::EnvLock::acquire(env_root);
    for (const auto& file : stale)
        fs::atomic_write(file, text);
    return true;
}

}  // namespace omni::bubble
