#include "cli/shim_main.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>

#include <fmt/format.h>

#include "cli/self.hpp"
#include "omni/bubble/loader.hpp"
#include "omni/bubble/seed.hpp"
#include "omni/python/shims.hpp"
#include "omni/util/error.hpp"
#include "omni/util/process.hpp"

namespace omni::cli {

namespace stdfs = std::filesystem;

namespace {

// pip changes the env's scripts: after an install or uninstall through the
// pip shim, the shims follow (pyenv's pip-rehash).
bool changes_scripts(std::string_view name, int argc, char** argv) {
    if (!name.starts_with("pip"))
        return false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "install" || arg == "uninstall")
            return true;
        if (!arg.starts_with('-'))
            return false;
    }
    return false;
}

int run_and_rehash(const Home& home, const stdfs::path& program, int argc, char** argv) {
    ProcessOptions options;
    options.argv.push_back(program.string());
    for (int i = 1; i < argc; ++i)
        options.argv.emplace_back(argv[i]);
    options.stdout_mode = StreamMode::inherit;
    options.stderr_mode = StreamMode::inherit;
    options.inherit_stdin = true;
    const auto result = run_process(options);
    if (result.ok())
        python::rehash(home, self_binary());
    return result.term_signal != 0 ? 128 + result.term_signal : result.exit_code;
}

}  // namespace

std::optional<int> run_as_shim(int argc, char** argv) {
    if (argc < 1 || argv[0] == nullptr)
        return std::nullopt;
    const std::string name = stdfs::path(argv[0]).filename().string();
    if (name.starts_with("omni") || name == python::shim_link_name ||
        name == self_binary().filename().string())
        return std::nullopt;
    try {
        if (!python::is_shim_name(name))
            throw Error(ErrorCode::usage, fmt::format("'{}' is not a name omni runs", name));
        bubble::install_pip_seeder();
        const Home home = Home::from_environment();
        python::ChoiceInputs inputs;
        if (const char* value = std::getenv("OMNI_PYTHON"); value != nullptr && *value != '\0')
            inputs.environment = value;
        std::error_code ec;
        inputs.cwd = stdfs::current_path(ec);
        const auto target = python::resolve_shim(home, name, inputs);
        if (target.env_created) {
            bubble::ensure_loader(target.env, home);
            python::rehash(home, self_binary());
        }
        if (changes_scripts(name, argc, argv))
            return run_and_rehash(home, target.program, argc, argv);
        // The program's own path as argv[0]: a venv's python finds its
        // pyvenv.cfg beside it.
        const std::string program = target.program.string();
        argv[0] = const_cast<char*>(program.c_str());
        ::execv(program.c_str(), argv);
        throw Error(ErrorCode::process,
                    fmt::format("cannot run '{}': {}", program, std::strerror(errno)));
    } catch (const Error& e) {
        fmt::print(stderr, "omni: {}\n", e.what());
        if (!e.hint().empty())
            fmt::print(stderr, "hint: {}\n", e.hint());
        return 127;
    } catch (const std::exception& e) {
        fmt::print(stderr, "omni: {}: {}\n", name, e.what());
        return 127;
    }
}

}  // namespace omni::cli
