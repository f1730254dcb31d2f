#include "omni/python/main_env.hpp"

#include <unistd.h>

#include <fstream>

#include <fmt/format.h>

#include "omni/home/staging.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"
#include "omni/util/log.hpp"

namespace omni::python {

namespace stdfs = std::filesystem;

namespace {

// The interpreter the env links to: a venv's python leads to its base.
stdfs::path base_executable(const InterpreterInfo& info) {
    std::error_code ec;
    auto real = stdfs::canonical(info.executable.empty() ? info.path : info.executable, ec);
    return ec ? info.executable : real;
}

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

std::string site_dir_name(const InterpreterInfo& info) {
    return fmt::format("python{}{}", info.version.major_minor(), info.free_threaded ? "t" : "");
}

void symlink_or_throw(const stdfs::path& target, const stdfs::path& link) {
    if (::symlink(target.c_str(), link.c_str()) != 0)
        throw_errno("create symlink", link.string(), errno);
}

std::string activate_script(const stdfs::path& root) {
    return fmt::format(R"(# Source this file from bash or zsh: . bin/activate
deactivate () {{
    if [ -n "${{_OMNI_OLD_PATH:-}}" ]; then PATH="$_OMNI_OLD_PATH"; export PATH; unset _OMNI_OLD_PATH; fi
    unset VIRTUAL_ENV
    hash -r 2>/dev/null
    [ "${{1:-}}" = "nondestructive" ] || unset -f deactivate
}}
deactivate nondestructive
VIRTUAL_ENV='{0}'
export VIRTUAL_ENV
_OMNI_OLD_PATH="$PATH"
PATH="$VIRTUAL_ENV/bin:$PATH"
export PATH
hash -r 2>/dev/null
)",
                       root.string());
}

void build_env(const stdfs::path& dir, const stdfs::path& final_root, const InterpreterInfo& info) {
    fs::atomic_write(dir / "pyvenv.cfg", pyvenv_cfg_text(info));
    stdfs::create_directories(dir / "bin");
    stdfs::create_directories(dir / "include");
    stdfs::create_directories(dir / "lib" / site_dir_name(info) / "site-packages");
    if (info.pointer_bits == 64 && info.markers.count("sys_platform") != 0 &&
        info.markers.at("sys_platform").starts_with("linux"))
        symlink_or_throw("lib", dir / "lib64");
    symlink_or_throw(base_executable(info), dir / "bin" / "python");
    symlink_or_throw("python", dir / "bin" / fmt::format("python{}", info.version.major));
    symlink_or_throw("python", dir / "bin" / fmt::format("python{}", info.version.major_minor()));
    if (info.free_threaded)
        symlink_or_throw("python",
                         dir / "bin" / fmt::format("python{}t", info.version.major_minor()));
    fs::atomic_write(dir / "bin" / "activate", activate_script(final_root));
}

}  // namespace

std::string pyvenv_cfg_text(const InterpreterInfo& info) {
    const auto exe = base_executable(info);
    return fmt::format(
        "home = {}\ninclude-system-site-packages = false\nversion = {}\nexecutable = {}\n"
        "created-by = omni\n",
        exe.parent_path().string(), info.version.str(), exe.string());
}

stdfs::path main_env_path(const Home& home, const InterpreterInfo& info) {
    const auto plain = home.envs_dir() / info.env_key();
    std::error_code ec;
    if (!stdfs::exists(plain / "pyvenv.cfg", ec))
        return plain;
    const auto owner = cfg_value(plain / "pyvenv.cfg", "executable");
    if (owner.empty() || owner == base_executable(info).string())
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
    build_env(staging.path(), root, info);
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
