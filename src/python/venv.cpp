#include "omni/python/venv.hpp"

#include <unistd.h>

#include <mutex>

#include <fmt/format.h>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"

namespace omni::python {

namespace stdfs = std::filesystem;

namespace {

std::mutex seeder_mutex;
VenvSeeder venv_seeder;

void symlink_or_throw(const stdfs::path& target, const stdfs::path& link) {
    if (::symlink(target.c_str(), link.c_str()) != 0)
        throw_errno("create symlink", link.string(), errno);
}

std::string x_y(const InterpreterInfo& info) {
    return fmt::format("{}{}", info.version.major_minor(), info.free_threaded ? "t" : "");
}

}  // namespace

stdfs::path base_executable(const InterpreterInfo& info) {
    std::error_code ec;
    auto real = stdfs::canonical(info.executable.empty() ? info.path : info.executable, ec);
    return ec ? info.executable : real;
}

std::string pyvenv_cfg_text(const InterpreterInfo& info, const stdfs::path& final_root,
                            bool with_pip) {
    const auto exe = base_executable(info);
    std::string text =
        fmt::format("home = {}\ninclude-system-site-packages = false\nversion = {}\n",
                    exe.parent_path().string(), info.version.str());
    // 3.11 added the interpreter and the command that made the env.
    if (info.version.major > 3 || (info.version.major == 3 && info.version.minor >= 11))
        text += fmt::format("executable = {}\ncommand = {} -m venv {}{}\n", exe.string(),
                            exe.string(), with_pip ? "" : "--without-pip ", final_root.string());
    return text;
}

void write_venv(const stdfs::path& dir, const stdfs::path& final_root, const InterpreterInfo& info,
                const VenvOptions& options) {
    stdfs::create_directories(dir);
    const std::string version = x_y(info);
    fs::write_new_file(dir / "pyvenv.cfg", pyvenv_cfg_text(info, final_root, options.with_pip));
    stdfs::create_directories(dir / "bin");
    stdfs::create_directories(dir / "lib" / ("python" + version) / "site-packages");
    const bool new_include = info.version.major == 3 && info.version.minor >= 11;
    stdfs::create_directories(new_include ? dir / "include" / ("python" + version)
                                          : dir / "include");
    if (info.pointer_bits == 64 && info.markers.count("sys_platform") != 0 &&
        info.markers.at("sys_platform").starts_with("linux"))
        symlink_or_throw("lib", dir / "lib64");
    const std::string exe_name = "python" + version;
    symlink_or_throw(base_executable(info), dir / "bin" / exe_name);
    symlink_or_throw(exe_name, dir / "bin" / "python");
    symlink_or_throw(exe_name, dir / "bin" / fmt::format("python{}", info.version.major));
    if (info.free_threaded)
        symlink_or_throw(exe_name,
                         dir / "bin" / fmt::format("python{}", info.version.major_minor()));
    if (info.version.major == 3 && info.version.minor >= 13)
        fs::write_new_file(
            dir / ".gitignore",
            "# Created by venv; see https://docs.python.org/3/library/venv.html\n*\n");
    const auto prompt = options.prompt.empty() ? final_root.filename().string() : options.prompt;
    fs::write_new_file(dir / "bin" / "activate", activate_sh(final_root, prompt));
    fs::write_new_file(dir / "bin" / "activate.fish", activate_fish(final_root, prompt));
    fs::write_new_file(dir / "bin" / "activate.csh", activate_csh(final_root, prompt));
    fs::write_new_file(dir / "bin" / "Activate.ps1", activate_ps1(final_root, prompt));
}

void set_venv_seeder(VenvSeeder seeder) {
    const std::lock_guard lock(seeder_mutex);
    venv_seeder = std::move(seeder);
}

bool seed_venv(const Home& home, const InterpreterInfo& info, const stdfs::path& dir,
               const stdfs::path& final_root) {
    VenvSeeder seeder;
    {
        const std::lock_guard lock(seeder_mutex);
        seeder = venv_seeder;
    }
    return seeder && seeder(home, info, dir, final_root);
}

CreatedVenv create_venv(const Home& home, const InterpreterInfo& info, const stdfs::path& target,
                        const VenvOptions& options, bool clear) {
    if (info.version.major < 3 || (info.version.major == 3 && info.version.minor < 3))
        throw Error(ErrorCode::invalid_input,
                    fmt::format("Python {} ({}) cannot have a venv: it predates pyvenv.cfg "
                                "(PEP 405, Python 3.3)",
                                info.version.str(), info.path.string()),
                    "choose a Python 3 interpreter with --python 3.X");
    const auto root = stdfs::absolute(target).lexically_normal();
    std::error_code ec;
    const bool exists = stdfs::exists(stdfs::symlink_status(root, ec));
    const bool empty_dir = exists && stdfs::is_directory(root, ec) && stdfs::is_empty(root, ec);
    if (exists && !empty_dir) {
        if (!clear)
            throw Error(ErrorCode::invalid_input, fmt::format("'{}' already exists", root.string()),
                        "pass --clear to replace the venv there, or choose another path");
        if (stdfs::is_symlink(root, ec) || !stdfs::exists(root / "pyvenv.cfg", ec))
            throw Error(ErrorCode::invalid_input,
                        fmt::format("'{}' is not a venv (no pyvenv.cfg): --clear replaces only "
                                    "a venv",
                                    root.string()),
                        "choose another path");
    }
    stdfs::create_directories(root.parent_path());
    // Built beside its place and renamed into it: never half a venv there.
    const auto stage =
        root.parent_path() /
        fmt::format(".{}.omni-venv.{}", root.filename().string(), fs::unique_suffix());
    CreatedVenv out{root, false};
    try {
        write_venv(stage, root, info, options);
        if (options.with_pip) {
            out.seeded = seed_venv(home, info, stage, root);
            if (!out.seeded)
                throw Error(ErrorCode::not_found,
                            fmt::format("{} has no bundled pip wheel (ensurepip/_bundled)",
                                        info.describe()),
                            "create it without --seed, or use an interpreter that ships ensurepip");
            fs::write_new_file(stage / "pyvenv.cfg.new", pyvenv_cfg_text(info, root, true));
            stdfs::rename(stage / "pyvenv.cfg.new", stage / "pyvenv.cfg");
        }
        if (exists && !empty_dir) {
            const auto old =
                root.parent_path() /
                fmt::format(".{}.omni-old.{}", root.filename().string(), fs::unique_suffix());
            stdfs::rename(root, old);
            stdfs::rename(stage, root);
            fs::remove_tree(old);
        } else {
            stdfs::rename(stage, root);
        }
    } catch (...) {
        fs::remove_tree(stage);
        throw;
    }
    return out;
}

}  // namespace omni::python
