#include "omni/python/swap.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include "omni/home/config.hpp"
#include "omni/python/choice.hpp"
#include "omni/python/discovery.hpp"
#include "omni/python/main_env.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"
#include "omni/util/process.hpp"

namespace omni::python {

namespace stdfs = std::filesystem;

namespace {

constexpr std::string_view shim_header = "#!/bin/sh\n# omni shim: ";

bool is_omni_shim(const stdfs::path& file) {
    std::ifstream in(file);
    std::string head(shim_header.size(), '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    return in && head == shim_header;
}

}  // namespace

namespace {

// Whether the shims already run `env` and nothing else is there: then a
// swap has nothing to write.
bool already_pointing(const Home& home, const stdfs::path& env, const InterpreterInfo& info) {
    std::size_t shims = 0;
    std::error_code ec;
    for (const auto& entry : stdfs::directory_iterator(home.bin_dir(), ec)) {
        const auto name = entry.path().filename().string();
        if (!is_interpreter_name(name) || !is_omni_shim(entry.path()))
            continue;
        if (shim_target(home, name) != env)
            return false;
        ++shims;
    }
    return shims == (info.free_threaded ? 4U : 3U);
}

}  // namespace

std::vector<std::string> point_shims(const Home& home, const stdfs::path& env,
                                     const InterpreterInfo& info) {
    const auto bin = home.bin_dir();
    stdfs::create_directories(bin);
    std::vector<std::string> names = {"python", fmt::format("python{}", info.version.major),
                                      fmt::format("python{}", info.version.major_minor())};
    if (info.free_threaded)
        names.push_back(fmt::format("python{}t", info.version.major_minor()));
    const auto python = env / "bin" / "python";
    const std::string text = fmt::format("{}{}\nexec {} \"$@\"\n", shim_header, env.string(),
                                         shell_quote(python.string()));
    // The shim of an env is written (and fsync'd) once, beside the env; a
    // swap hard-links it into bin/ and renames it over each shim, so that a
    // reader sees the old shim or the new one and the swap costs no data sync.
    const auto source = env / ".omni-shim";
    std::error_code ec;
    if (!stdfs::is_regular_file(source, ec) || fs::read_file(source) != text)
        fs::atomic_write(source, text, 0755);
    for (const auto& name : names) {
        const auto shim = bin / name;
        const auto tmp = bin / fmt::format(".{}.tmp.{}", name, fs::unique_suffix());
        if (::link(source.c_str(), tmp.c_str()) != 0) {
            // Another file system: a copy, written the careful way.
            fs::atomic_write(shim, text, 0755);
            continue;
        }
        if (::rename(tmp.c_str(), shim.c_str()) != 0) {
            const int err = errno;
            ::unlink(tmp.c_str());
            throw_errno("replace shim", shim.string(), err);
        }
    }

    // python3.Y shims left from the previous choice.
    const std::set<std::string> current(names.begin(), names.end());
    for (const auto& entry : stdfs::directory_iterator(bin, ec)) {
        const auto name = entry.path().filename().string();
        if (!is_interpreter_name(name) || current.contains(name) || !is_omni_shim(entry.path()))
            continue;
        if (::unlink(entry.path().c_str()) != 0 && errno != ENOENT)
            throw_errno("remove stale shim", entry.path().string(), errno);
    }
    fs::sync_directory(bin);
    return names;
}

stdfs::path shim_target(const Home& home, std::string_view name) {
    const auto file = home.bin_dir() / name;
    std::error_code ec;
    if (!stdfs::is_regular_file(file, ec))
        return {};
    const std::string text = fs::read_file(file);
    if (!text.starts_with(shim_header))
        return {};
    const auto rest = text.substr(shim_header.size());
    return rest.substr(0, rest.find('\n'));
}

SwapOutcome swap_python(const Home& home, Registry& registry, const PythonRequest& request) {
    registry.refresh();
    auto selection = registry.find(request);
    logger().info("{}", selection.explanation);
    const auto env = ensure_main_env(home, selection.interpreter);
    // One lock around both, so that the config and the shims always agree.
    const auto lock = FileLock::acquire(home.lock_file("swap"), LockMode::exclusive);
    Config(home).set(active_key, selection.interpreter.path.string());
    auto shims = already_pointing(home, env, selection.interpreter)
                     ? std::vector<std::string>{}
                     : point_shims(home, env, selection.interpreter);
    return SwapOutcome{std::move(selection), env, std::move(shims)};
}

bool on_path(const stdfs::path& dir) {
    const char* value = std::getenv("PATH");
    if (value == nullptr)
        return false;
    const std::string path = value;
    const auto want = dir.lexically_normal();
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find(':', start);
        if (end == std::string::npos)
            end = path.size();
        if (end > start && stdfs::path(path.substr(start, end - start)).lexically_normal() == want)
            return true;
        start = end + 1;
    }
    return false;
}

std::string shell_path_line(const Home& home, std::string_view shell) {
    const auto bin = home.bin_dir().string();
    if (shell == "fish")
        return fmt::format("set -gx PATH {} $PATH", shell_quote(bin));
    return fmt::format("export PATH={}\"$PATH\"", shell_quote(bin + ":"));
}

}  // namespace omni::python
