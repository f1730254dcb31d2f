#include "omni/python/shims.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "omni/home/config.hpp"
#include "omni/python/discovery.hpp"
#include "omni/python/main_env.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::python {

namespace stdfs = std::filesystem;

namespace {

// The names every home has a shim for, whatever its envs hold.
const std::vector<std::string> base_names = {"python", "python3", "pip", "pip3"};

bool is_shim(const stdfs::path& file) {
    std::error_code ec;
    if (!stdfs::is_symlink(file, ec))
        return false;
    return stdfs::read_symlink(file, ec) == shim_link_name;
}

// The sh shims of earlier versions: "#!/bin/sh\n# omni shim: <env>".
bool is_old_shim(const stdfs::path& file) {
    std::error_code ec;
    if (stdfs::is_symlink(file, ec) || !stdfs::is_regular_file(file, ec) ||
        stdfs::file_size(file, ec) > 4096)
        return false;
    return fs::read_file(file).starts_with("#!/bin/sh\n# omni shim: ");
}

// Names an env's bin/ offers as commands: interpreters, pip, console
// scripts. Activation scripts are not commands.
bool is_command(const stdfs::directory_entry& entry) {
    const auto name = entry.path().filename().string();
    if (!is_shim_name(name) || name.starts_with("activate") || name.starts_with("Activate") ||
        name == "deactivate")
        return false;
    return ::access(entry.path().c_str(), X_OK) == 0;
}

std::vector<stdfs::path> main_envs(const Home& home) {
    std::vector<stdfs::path> out;
    std::error_code ec;
    for (const auto& entry : stdfs::directory_iterator(home.envs_dir(), ec)) {
        if (stdfs::exists(entry.path() / "pyvenv.cfg", ec))
            out.push_back(entry.path());
    }
    std::ranges::sort(out);
    return out;
}

// Makes `link` a symlink to `target` by renaming a new link over it.
void replace_symlink(const stdfs::path& target, const stdfs::path& link) {
    const auto tmp = link.parent_path() /
                     fmt::format(".{}.tmp.{}", link.filename().string(), fs::unique_suffix());
    if (::symlink(target.c_str(), tmp.c_str()) != 0)
        throw_errno("create shim", tmp.string(), errno);
    if (::rename(tmp.c_str(), link.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw_errno("create shim", link.string(), err);
    }
}

// Where a command lives for an interpreter: its main env's bin/, or for a
// Python too old for one (2.7), the interpreter's own directory.
stdfs::path command_dir(const Home& home, const InterpreterInfo& info) {
    if (info.version.major < 3 || (info.version.major == 3 && info.version.minor < 3))
        return info.path.parent_path();
    return main_env_path(home, info) / "bin";
}

std::string interpreter_label(const InterpreterInfo& info) {
    return fmt::format("{}{} ({})", info.version.str(), info.free_threaded ? "t" : "",
                       info.path.string());
}

// "python3.11" -> {3, 11, false}; nullopt for python, python3 and others.
struct MinorName {
    int major;
    int minor;
    bool free_threaded;
};
std::optional<MinorName> versioned_name(std::string_view name, std::string_view stem) {
    if (!name.starts_with(stem))
        return std::nullopt;
    std::string_view rest = name.substr(stem.size());
    MinorName out{0, 0, false};
    if (rest.ends_with('t')) {
        out.free_threaded = true;
        rest.remove_suffix(1);
    }
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == rest.size())
        return std::nullopt;
    for (char c : rest) {
        if (c != '.' && std::isdigit(static_cast<unsigned char>(c)) == 0)
            return std::nullopt;
    }
    out.major = std::stoi(std::string(rest.substr(0, dot)));
    out.minor = std::stoi(std::string(rest.substr(dot + 1)));
    return out;
}

bool lacks(const InterpreterInfo& info, std::string_view name) {
    for (const auto stem : {std::string_view("python"), std::string_view("pip")}) {
        if (const auto v = versioned_name(name, stem))
            return v->major != info.version.major || v->minor != info.version.minor ||
                   v->free_threaded != info.free_threaded;
    }
    return false;
}

[[noreturn]] void throw_missing(const Home& home, const Registry& registry, std::string_view name,
                                const ShimTarget& target) {
    std::vector<std::string> have;
    for (const auto& i : registry.interpreters()) {
        if (i.is_venv || lacks(i, name))
            continue;
        // Any interpreter of that X.Y runs python3.X; other commands must be
        // in its main env.
        if (is_interpreter_name(std::string(name)) ||
            ::access((command_dir(home, i) / name).c_str(), X_OK) == 0)
            have.push_back(interpreter_label(i));
    }
    std::string message = fmt::format("{}: command not found for {} (chosen by {})", name,
                                      target.interpreter.describe(), target.origin);
    if (have.empty()) {
        message += fmt::format("; no interpreter's main env has '{}'", name);
        throw Error(ErrorCode::not_found, message,
                    "install the package that provides it: omni install NAME");
    }
    message += fmt::format("\nThe '{}' command exists for these interpreters:", name);
    for (const auto& h : have)
        message += "\n  " + h;
    throw Error(ErrorCode::not_found, message,
                "run it with another interpreter for this shell: 'omni shell X.Y' (or "
                "OMNI_PYTHON=X.Y), or in this directory: 'omni swap python X.Y --local'");
}

}  // namespace

bool is_shim_name(std::string_view name) {
    if (name.empty() || name.size() > 100 || name.starts_with("omni"))
        return false;
    if (std::isalnum(static_cast<unsigned char>(name.front())) == 0)
        return false;
    return std::ranges::all_of(name, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' ||
               c == '+' || c == '-';
    });
}

RehashOutcome rehash(const Home& home, const stdfs::path& binary) {
    const auto bin = home.bin_dir();
    stdfs::create_directories(bin);
    const auto lock = FileLock::acquire(home.lock_file("shims"), LockMode::exclusive);
    RehashOutcome outcome;
    std::error_code ec;
    const auto link = bin / shim_link_name;
    if (!binary.empty() && stdfs::read_symlink(link, ec) != binary)
        replace_symlink(binary, link);

    std::set<std::string> names(base_names.begin(), base_names.end());
    for (const auto& env : main_envs(home)) {
        for (const auto& entry : stdfs::directory_iterator(env / "bin", ec)) {
            if (is_command(entry))
                names.insert(entry.path().filename().string());
        }
    }
    for (const auto& name : names) {
        const auto shim = bin / name;
        if (is_shim(shim))
            continue;
        if (stdfs::exists(stdfs::symlink_status(shim, ec)) && !is_old_shim(shim)) {
            outcome.kept_foreign.push_back(name);
            continue;
        }
        replace_symlink(shim_link_name, shim);
        outcome.added.push_back(name);
    }
    for (const auto& entry : stdfs::directory_iterator(bin, ec)) {
        const auto name = entry.path().filename().string();
        if (names.contains(name) || !(is_shim(entry.path()) || is_old_shim(entry.path())))
            continue;
        if (::unlink(entry.path().c_str()) != 0 && errno != ENOENT)
            throw_errno("remove shim", entry.path().string(), errno);
        outcome.removed.push_back(name);
    }
    if (!outcome.added.empty() || !outcome.removed.empty())
        fs::sync_directory(bin);
    if (!outcome.kept_foreign.empty())
        logger().debug("not omni's shims, left alone: {}", fmt::join(outcome.kept_foreign, ", "));
    return outcome;
}

ShimTarget resolve_shim(const Home& home, std::string_view name, const ChoiceInputs& inputs) {
    Registry registry(home, DiscoveryRoots::from_environment(home));
    const auto choice = current_choice(home, inputs);
    const auto select = [&] {
        auto selection = select_chosen(registry, choice);
        std::error_code ec;
        if (!stdfs::exists(selection.interpreter.path, ec))
            throw Error(ErrorCode::not_found, "the cached interpreter is gone");
        return selection;
    };
    Selection selection;
    bool refreshed = false;
    if (registry.load_cached()) {
        try {
            selection = select();
        } catch (const Error& e) {
            if (e.code() != ErrorCode::not_found)
                throw;
            refreshed = true;
        }
    } else {
        refreshed = true;
    }
    if (refreshed) {
        registry.refresh();
        selection = select_chosen(registry, choice);
    }

    ShimTarget target;
    target.interpreter = selection.interpreter;
    target.origin = choice ? describe_origin(*choice) : "default: the newest Python 3";
    const auto& info = target.interpreter;
    if (info.version.major < 3 || (info.version.major == 3 && info.version.minor < 3)) {
        target.env = info.path.parent_path().parent_path();
    } else {
        target.env = main_env_path(home, info);
        std::error_code ec;
        if (!stdfs::exists(target.env / "pyvenv.cfg", ec)) {
            target.env = ensure_main_env(home, info);
            target.env_created = true;
        }
    }
    const auto dir = command_dir(home, info);
    if (lacks(info, name))
        throw_missing(home, registry, name, target);
    if (name == "python" || name == "python3" || is_interpreter_name(std::string(name))) {
        // A main env's bin/python is the venv's interpreter; 2.7 runs its own.
        target.program = dir == info.path.parent_path() ? info.path : dir / "python";
        return target;
    }
    target.program = dir / name;
    if (::access(target.program.c_str(), X_OK) != 0)
        throw_missing(home, registry, name, target);
    return target;
}

stdfs::path shim_target(const Home& home) {
    const auto value = Config(home).get(active_key);
    if (!value || !value->is_string())
        return {};
    Registry registry(home, DiscoveryRoots::from_environment(home));
    if (!registry.load_cached())
        return {};
    const stdfs::path active = value->get<std::string>();
    for (const auto& i : registry.interpreters()) {
        if (i.path == active)
            return main_env_path(home, i);
    }
    return {};
}

}  // namespace omni::python
