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

}  // namespace omni::python
