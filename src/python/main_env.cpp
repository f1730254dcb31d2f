#include "omni/python/main_env.hpp"

#include <unistd.h>

#include <fstream>

#include <fmt/format.h>

#include "omni/home/config.hpp"
#include "omni/home/staging.hpp"
#include "omni/python/venv.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"
#include "omni/util/log.hpp"

namespace omni::python {

namespace stdfs = std::filesystem;

namespace {

// The value of `key` in a pyvenv.cfg; empty when absent.
std::string cfg_value(const stdfs::path& cfg, std::string_view key) {
    std::ifstream in(cfg);
    std::string line;
    while (std::getline(in, line)) {
        const auto eq = line.find('=');
        if (eq == std::string::npos)
            continue;
        auto name = line.substr(0, eq);
        std::erase(name, ' ');
        if (name != key)
            continue;
        auto value = line.substr(eq + 1);
        const auto first = value.find_first_not_of(' ');
        return first == std::string::npos ? std::string{} : value.substr(first);
    }
    return {};
}

// The interpreter a main env belongs to: pyvenv.cfg's executable (3.11+),
// else home/pythonX.Y, as venv names it.
std::string cfg_owner(const stdfs::path& cfg) {
    auto owner = cfg_value(cfg, "executable");
    if (!owner.empty())
        return owner;
    const auto home = cfg_value(cfg, "home");
    const auto version = cfg_value(cfg, "version");
    if (home.empty() || version.empty())
        return {};
    const auto dot = version.find('.', version.find('.') + 1);
    return (stdfs::path(home) / ("python" + version.substr(0, dot))).string();
}

}  // namespace

stdfs::path main_env_path(const Home& home, const InterpreterInfo& info) {
    const auto plain = home.envs_dir() / info.env_key();
    std::error_code ec;
    if (!stdfs::exists(plain / "pyvenv.cfg", ec))
        return plain;
    const auto owner = cfg_owner(plain / "pyvenv.cfg");
    const auto base = base_executable(info);
    if (owner.empty() || owner == base.string() ||
        (base.parent_path() / ("python" + info.version.major_minor())).string() == owner)
        return plain;
    // The name belongs to another interpreter of the same X.Y.
    return home.envs_dir() / fmt::format("{}-{}", info.env_key(),
                                         sha256_hex(base_executable(info).string()).substr(0, 8));
}

stdfs::path ensure_main_env(const Home& home, const InterpreterInfo& info) {
    if (info.version.major < 3 || (info.version.major == 3 && info.version.minor < 3))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("Python {} ({}) cannot have an omni main environment: it predates "
                                "pyvenv.cfg (PEP 405, Python 3.3)",
                                info.version.str(), info.path.string()),
                    "choose a Python 3 interpreter, or make a virtualenv yourself and pass "
                    "--env PATH");
    auto root = main_env_path(home, info);
    std::error_code ec;
    if (stdfs::exists(root / "pyvenv.cfg", ec))
        return root;

    const auto lock =
        FileLock::acquire(home.lock_file("env-" + info.env_key()), LockMode::exclusive);
    root = main_env_path(home, info);
    if (stdfs::exists(root / "pyvenv.cfg", ec))
        return root;
    auto staging = StagingDir::create(home, "env-" + info.env_key());
    // A venv like `python -m venv` makes, with pip when the seeder has one.
    write_venv(staging.path(), root, info, {});
    // pip unless config env.pip is false (envs managed only by omni).
    const auto pip = Config(home).get("env.pip");
    const bool want_pip = !(pip && pip->is_boolean() && !pip->get<bool>());
    if (want_pip && seed_venv(home, info, staging.path(), root))
        fs::atomic_write(staging.path() / "pyvenv.cfg", pyvenv_cfg_text(info, root, true));
    staging.publish(root);
    logger().info("created the main environment {} for {}", root.string(), info.describe());
    return root;
}

TargetEnv select_target_env(const Home& home, const InterpreterInfo& interpreter,
                            const TargetEnvInputs& inputs) {
    auto named = [](const stdfs::path& root, TargetEnv::Origin origin, std::string_view what) {
        const auto abs = stdfs::absolute(root).lexically_normal();
        std::error_code ec;
        if (!stdfs::exists(abs / "bin" / "python", ec) || !stdfs::exists(abs / "pyvenv.cfg", ec))
            throw Error(
                ErrorCode::not_found,
                fmt::format("{} '{}' is not a virtual environment (no pyvenv.cfg or bin/python)",
                            what, abs.string()),
                "give the root directory of an existing venv");
        return TargetEnv{abs, abs / "bin" / "python", origin};
    };
    if (inputs.env_option && !inputs.env_option->empty())
        return named(*inputs.env_option, TargetEnv::Origin::option, "--env");
    if (inputs.virtual_env && !inputs.virtual_env->empty())
        return named(*inputs.virtual_env, TargetEnv::Origin::virtual_env, "$VIRTUAL_ENV");
    const auto root = ensure_main_env(home, interpreter);
    return TargetEnv{root, root / "bin" / "python", TargetEnv::Origin::main};
}

}  // namespace omni::python
