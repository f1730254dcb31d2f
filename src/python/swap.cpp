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

SwapOutcome swap_python(const Home& home, Registry& registry, const PythonRequest& request) {
    registry.refresh();
    auto selection = registry.find(request);
    logger().info("{}", selection.explanation);
    const auto env = ensure_main_env(home, selection.interpreter);
    // One lock around both, so that the config and the shims always agree.
    const auto lock = FileLock::acquire(home.lock_file("swap"), LockMode::exclusive);
    Config(home).set(active_key, selection.interpreter.path.string());
    return SwapOutcome{std::move(selection), env};
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
