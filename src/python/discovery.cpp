#include "omni/python/discovery.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

#include "omni/util/log.hpp"

namespace omni::python {

namespace stdfs = std::filesystem;

namespace {

std::string env_or(const char* name, std::string fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : std::move(fallback);
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::ranges::all_of(s, [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
}

// The directories under `root` whose bin/ holds interpreters: root/*/bin.
std::vector<stdfs::path> bin_dirs_under(const stdfs::path& root) {
    std::vector<stdfs::path> out;
    std::error_code ec;
    if (root.empty() || !stdfs::is_directory(root, ec))
        return out;
    for (const auto& entry : stdfs::directory_iterator(root, ec)) {
        auto bin = entry.path() / "bin";
        if (stdfs::is_directory(bin, ec))
            out.push_back(std::move(bin));
    }
    std::ranges::sort(out);
    return out;
}

bool is_skipped(const stdfs::path& dir, const std::vector<stdfs::path>& skip) {
    const auto normal = dir.lexically_normal();
    if (std::ranges::find(skip, normal) != skip.end())
        return true;
    // pyenv's shims (and its plugins' shims) are scripts that run pyenv.
    const auto parent = normal.parent_path().filename().string();
    return normal.filename() == "shims" && parent.find("pyenv") != std::string::npos;
}

}  // namespace

DiscoveryRoots DiscoveryRoots::from_environment(const Home& home) {
    DiscoveryRoots roots;
    const std::string user_home = env_or("HOME", "/");
    roots.managed_dir = home.interpreters_dir();
    const stdfs::path pyenv_root = env_or("PYENV_ROOT", user_home + "/.pyenv");
    roots.pyenv_versions = pyenv_root / "versions";
    const std::string data_home = env_or("XDG_DATA_HOME", user_home + "/.local/share");
    roots.uv_dir = env_or("UV_PYTHON_INSTALL_DIR", data_home + "/uv/python");
    const std::string path = env_or("PATH", "");
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find(':', start);
        if (end == std::string::npos)
            end = path.size();
        // A relative entry ("." or "bin") names whatever directory a
        // command runs in: never a place to query files from.
        if (end > start && path[start] == '/')
            roots.path_dirs.emplace_back(path.substr(start, end - start));
        start = end + 1;
    }
    roots.system_dirs = {"/usr/local/bin", "/usr/bin"};
    roots.skip_dirs = {home.bin_dir().lexically_normal(),
                       (pyenv_root / "shims").lexically_normal()};
    return roots;
}

bool is_interpreter_name(std::string_view name) {
    if (!name.starts_with("python"))
        return false;
    std::string_view rest = name.substr(6);
    if (rest.empty())
        return true;
    if (rest == "2" || rest == "3")
        return true;
    if (rest.ends_with('t'))
        rest.remove_suffix(1);
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos)
        return false;
    return (rest.substr(0, dot) == "2" || rest.substr(0, dot) == "3") &&
           all_digits(rest.substr(dot + 1));
}

stdfs::path registry_key(const stdfs::path& file) {
    std::error_code ec;
    const auto absolute = stdfs::absolute(file, ec).lexically_normal();
    if (ec || !stdfs::exists(absolute, ec))
        return {};
    // A venv's python must be run by its own path.
    const auto env_root = absolute.parent_path().parent_path();
    if (stdfs::exists(env_root / "pyvenv.cfg", ec))
        return absolute;
    auto real = stdfs::canonical(absolute, ec);
    return ec ? stdfs::path{} : real;
}

std::vector<Candidate> discover(const DiscoveryRoots& roots) {
    std::vector<std::pair<stdfs::path, Source>> dirs;
    for (const auto& bin : bin_dirs_under(roots.managed_dir))
        dirs.emplace_back(bin, Source::managed);
    for (const auto& bin : bin_dirs_under(roots.pyenv_versions))
        dirs.emplace_back(bin, Source::pyenv);
    for (const auto& bin : bin_dirs_under(roots.uv_dir))
        dirs.emplace_back(bin, Source::uv);
    for (const auto& dir : roots.path_dirs)
        dirs.emplace_back(dir, Source::path);
    for (const auto& dir : roots.system_dirs)
        dirs.emplace_back(dir, Source::system);

    std::vector<Candidate> out;
    std::set<stdfs::path> seen;
    std::set<stdfs::path> seen_dirs;
    for (const auto& [dir, source] : dirs) {
        if (is_skipped(dir, roots.skip_dirs))
            continue;
        std::error_code ec;
        const auto real_dir = stdfs::canonical(dir, ec);
        if (ec || !seen_dirs.insert(real_dir).second)
            continue;
        std::vector<stdfs::path> names;
        for (const auto& entry : stdfs::directory_iterator(dir, ec)) {
            const auto name = entry.path().filename().string();
            if (is_interpreter_name(name))
                names.push_back(entry.path());
        }
        std::ranges::sort(names);
        for (const auto& file : names) {
            if (::access(file.c_str(), X_OK) != 0) {
                // A dangling link or a file that is not executable.
                if (!stdfs::exists(file, ec))
                    logger().debug("skipping '{}': a dangling link", file.string());
                continue;
            }
            auto key = registry_key(file);
            if (key.empty() || !stdfs::is_regular_file(key, ec))
                continue;
            if (!seen.insert(key).second)
                continue;
            // A file on PATH that lives in a system dir counts as system.
            Source effective = source;
            if (source == Source::path &&
                std::ranges::find(roots.system_dirs, key.parent_path()) != roots.system_dirs.end())
                effective = Source::system;
            out.push_back({std::move(key), effective});
        }
    }
    return out;
}

}  // namespace omni::python
