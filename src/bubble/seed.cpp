#include "omni/bubble/seed.hpp"

#include <algorithm>

#include "omni/install/installer.hpp"
#include "omni/install/unpacked_wheel.hpp"
#include "omni/python/venv.hpp"
#include "omni/util/log.hpp"

namespace omni::bubble {

namespace stdfs = std::filesystem;

std::optional<stdfs::path> bundled_pip_wheel(const python::InterpreterInfo& info) {
    const auto stdlib = info.paths.find("stdlib");
    if (stdlib == info.paths.end())
        return std::nullopt;
    std::vector<stdfs::path> found;
    std::error_code ec;
    for (const auto& entry :
         stdfs::directory_iterator(stdfs::path(stdlib->second) / "ensurepip" / "_bundled", ec)) {
        const auto name = entry.path().filename().string();
        if (name.starts_with("pip-") && name.ends_with(".whl") && entry.is_regular_file(ec))
            found.push_back(entry.path());
    }
    if (found.empty())
        return std::nullopt;
    std::ranges::sort(found);
    return found.back();
}

bool seed_pip(const Home& home, const python::InterpreterInfo& info, const stdfs::path& dir,
              const stdfs::path& final_root) {
    const auto wheel = bundled_pip_wheel(info);
    if (!wheel) {
        logger().info("{} ships no ensurepip wheel: {} has no pip", info.describe(),
                      final_root.string());
        return false;
    }
    const auto unpacked = install::unpack_wheel(home, *wheel);
    const std::string x_y = info.version.major_minor() + (info.free_threaded ? "t" : "");
    auto target = install::InstallTarget::venv(dir, x_y);
    target.python = final_root / "bin" / "python";
    install::InstallOptions options;
    options.requested = false;
    install::install_wheel(unpacked, target, options);
    logger().info("pip {} from {} in {}", unpacked.version, wheel->string(), final_root.string());
    return true;
}

void install_pip_seeder() {
    python::set_venv_seeder(&seed_pip);
}

}  // namespace omni::bubble
