#include "omni/python/managed_install.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omni/home/config.hpp"
#include "omni/home/staging.hpp"
#include "omni/index/downloader.hpp"
#include "omni/python/archive_extract.hpp"
#include "omni/python/main_env.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"
#include "omni/util/process.hpp"

namespace omni::python {

namespace {

namespace stdfs = std::filesystem;
using Phase = InstallProgress::Phase;

bool complete(const stdfs::path& root) {
    std::error_code ec;
    return stdfs::exists(root / "bin" / "python3", ec);
}

void report(const InstallOptions& options, Phase phase, const Download& d, std::uint64_t bytes = 0,
            std::uint64_t total = 0) {
    if (options.progress)
        options.progress({phase, &d, bytes, d.size != 0 ? d.size : total});
}

// The downloader's progress as the install's: the catalogue's size when it
// has one, else the response's Content-Length; at most every 100 ms, and
// once when the last byte is in.
std::function<void(std::uint64_t, std::uint64_t)> download_progress(const InstallOptions& options,
                                                                    const Download& d) {
    if (!options.progress)
        return {};
    using Clock = std::chrono::steady_clock;
    return [&options, &d, last = Clock::time_point{}](std::uint64_t bytes,
                                                      std::uint64_t total) mutable {
        const auto now = Clock::now();
        if (now - last < std::chrono::milliseconds(100) && (total == 0 || bytes < total))
            return;
        last = now;
        report(options, Phase::downloading, d, bytes, total);
    };
}

// Runs the extracted interpreter: it must start and be the version the
// catalogue promised.
void check_interpreter(const stdfs::path& python, const Download& d) {
    ProcessOptions run;
    run.argv = {python.string(), "-c",
                "import sys; v = sys.version_info; "
                "pre = {'alpha': 'a', 'beta': 'b', 'candidate': 'rc'}.get(v[3]); "
                "print('%d.%d.%d%s %s' % (v[0], v[1], v[2], pre + str(v[4]) if pre else '', "
                "sys.implementation.name))"};
    run.env = {{"PYTHONHOME", std::nullopt},
               {"PYTHONPATH", std::nullopt},
               {"PYTHONSTARTUP", std::nullopt}};
    run.timeout = std::chrono::seconds(60);
    const auto result = run_process(run);
    const auto expected = fmt::format("{} {}", d.version.str(), d.implementation);
    std::string out = result.out;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    if (!result.ok())
        throw Error(ErrorCode::integrity,
                    fmt::format("the interpreter of {} does not run ({}): {}", d.filename,
                                result.describe(), result.err.substr(0, 300)),
                    "nothing was installed; the build may not fit this machine");
    if (out != expected)
        throw Error(ErrorCode::integrity,
                    fmt::format("the interpreter of {} says it is '{}', not '{}'", d.filename, out,
                                expected),
                    "the catalogue entry does not match its archive");
}

std::string pyvenv_home(const stdfs::path& cfg) {
    std::ifstream in(cfg);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.starts_with("home"))
            continue;
        const auto eq = line.find('=');
        if (eq == std::string::npos)
            continue;
        auto value = line.substr(eq + 1);
        value.erase(0, value.find_first_not_of(' '));
        return value;
    }
    return {};
}

bool inside(const stdfs::path& path, const stdfs::path& dir) {
    const auto rel = path.lexically_relative(dir);
    return !rel.empty() && *rel.begin() != "..";
}

// The directory under interpreters/ holding a managed interpreter.
stdfs::path install_root_of(const Home& home, const stdfs::path& python) {
    std::error_code ec;
    for (const auto& base :
         {home.interpreters_dir(), stdfs::canonical(home.interpreters_dir(), ec)}) {
        if (base.empty() || !inside(python, base))
            continue;
        return base / *python.lexically_relative(base).begin();
    }
    return {};
}

// Moves a published tree aside (one rename) and deletes it.
void remove_published(const Home& home, const stdfs::path& dir) {
    auto trash = StagingDir::create(home, "python-uninstall");
    const auto aside = trash.path() / dir.filename();
    std::error_code ec;
    stdfs::rename(dir, aside, ec);
    if (ec)
        throw_errno("remove", dir.string(), ec.value());
    fs::sync_directory(dir.parent_path());
}

}  // namespace

std::string resolve_mirror(const Home& home, std::string_view option) {
    if (!option.empty())
        return std::string(option);
    if (const char* env = std::getenv("OMNI_PYTHON_MIRROR"); env != nullptr && *env != '\0')
        return env;
    if (auto value = Config(home).get(mirror_key); value && value->is_string())
        return value->get<std::string>();
    return {};
}

InstallOutcome install_download(const Home& home, const Download& d,
                                const InstallOptions& options) {
    InstallOutcome outcome{d, home.interpreters_dir() / d.install_name(), {}, {}};
    outcome.python = outcome.root / "bin" / "python3";
    outcome.action = InstallOutcome::Action::already_installed;
    if (!options.reinstall && complete(outcome.root))
        return outcome;
    // Look, lock, look again: another process may be installing it now.
    const auto lock = FileLock::acquire(home.lock_file("python-" + d.install_name()),
                                        LockMode::exclusive, options.lock_timeout);
    const bool present = complete(outcome.root);
    if (present && !options.reinstall) {
        logger().info("{} was installed by another omni process meanwhile", d.install_name());
        return outcome;
    }
    outcome.action =
        present ? InstallOutcome::Action::reinstalled : InstallOutcome::Action::installed;

    auto staging = StagingDir::create(home, "python-install");
    const auto download_dir = staging.path() / "download";
    stdfs::create_directory(download_dir);
    const auto archive = download_dir / d.filename;
    const auto url = d.url_via(options.mirror);
    logger().info("downloading {} from {}", d.describe(), url);
    if (d.size != 0)  // else the first bytes start the phase, with the Content-Length
        report(options, Phase::downloading, d);
    try {
        Downloader(options.transport)
            .fetch({url, archive, d.sha256, download_progress(options, d)});
    } catch (const Error& e) {
        if (e.code() == ErrorCode::integrity)
            throw;
        throw Error(e.code(), e.what(),
                    "check the network, or point --mirror (OMNI_PYTHON_MIRROR, config "
                    "python.mirror) at a copy of the release files");
    }
    report(options, Phase::extracting, d);
    const auto tree = staging.path() / "tree";
    const auto stats = extract_archive(archive, tree);
    logger().debug("extracted {} files, {} symlinks, {} bytes", stats.files, stats.symlinks,
                   stats.bytes);
    stdfs::remove(archive);
    const auto extracted = tree / "python";
    std::error_code ec;
    if (!stdfs::is_directory(extracted, ec) || !stdfs::exists(extracted / "bin" / "python3", ec))
        throw Error(ErrorCode::integrity,
                    fmt::format("archive {} has no python/bin/python3: not a python-build-"
                                "standalone install_only build",
                                d.filename),
                    "nothing was installed; check the catalogue entry");
    report(options, Phase::checking, d);
    check_interpreter(extracted / "bin" / "python3", d);

    report(options, Phase::publishing, d);
    fs::sync_filesystem(extracted);  // durable before it becomes visible
    if (present) {
        const auto aside = staging.path() / "previous";
        stdfs::rename(outcome.root, aside, ec);
        if (ec)
            throw_errno("replace", outcome.root.string(), ec.value());
    }
    if (!fs::publish_directory(extracted, outcome.root))
        logger().info("{} appeared meanwhile; keeping that copy", outcome.root.string());
    return outcome;
}

InstallOutcome install_python(const Home& home, const PythonRequest& request,
                              const InstallOptions& options) {
    const auto catalogue = load_catalogue(home);
    auto download = select_download(catalogue, request, options.platform);
    if (!download)
        throw download.error();
    return install_download(home, *download, options);
}

std::vector<stdfs::path> uninstall_python(const Home& home, Registry& registry,
                                          const PythonRequest& request) {
    const auto matches = [&](const InterpreterInfo& info) {
        return request.is_path() ? info.path == *request.path : request.matches(info);
    };
    std::vector<stdfs::path> roots;
    std::vector<InterpreterInfo> removed;
    std::string others;
    for (const auto& info : registry.interpreters()) {
        if (!matches(info))
            continue;
        const auto root = install_root_of(home, info.path);
        if (info.source != Source::managed || root.empty()) {
            others += (others.empty() ? "" : ", ") + info.describe();
            continue;
        }
        if (std::ranges::find(roots, root) == roots.end()) {
            roots.push_back(root);
            removed.push_back(info);
        }
    }
    if (roots.empty() && !others.empty())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{} matches {}, which omni did not install; only interpreters "
                                "from 'omni python install' can be uninstalled",
                                request.text, others),
                    fmt::format("'omni python forget {}' stops omni from using it", request.text));
    if (roots.empty())
        throw Error(ErrorCode::not_found,
                    fmt::format("no managed interpreter matches {}", request.text),
                    "'omni python list' shows the interpreters and where they come from");
    for (std::size_t i = 0; i < roots.size(); ++i) {
        const auto& root = roots[i];
        const auto lock = FileLock::acquire(home.lock_file("python-" + root.filename().string()),
                                            LockMode::exclusive, std::chrono::minutes(10));
        // The main env made for it would only point at nothing now.
        const auto env = main_env_path(home, removed[i]);
        std::error_code ec;
        const auto real_root = stdfs::canonical(root, ec);
        if (stdfs::exists(env / "pyvenv.cfg", ec)) {
            const stdfs::path env_home = pyvenv_home(env / "pyvenv.cfg");
            if (inside(env_home, root) || (!real_root.empty() && inside(env_home, real_root)))
                remove_published(home, env);
        }
        if (stdfs::exists(root, ec))
            remove_published(home, root);
        logger().info("removed {}", root.string());
    }
    registry.refresh();
    return roots;
}

AutoInstall auto_install_policy(const Home& home, const AutoInstallInputs& inputs) {
    if (inputs.yes_flag)
        return AutoInstall::yes;
    if (auto value = Config(home).get(auto_install_key)) {
        if (value->is_boolean())
            return value->get<bool>() ? AutoInstall::yes : AutoInstall::no;
        const auto text = value->is_string() ? value->get<std::string>() : value->dump();
        if (text == "true" || text == "yes")
            return AutoInstall::yes;
        if (text == "false" || text == "no")
            return AutoInstall::no;
        if (text == "ask")
            return inputs.interactive ? AutoInstall::ask : AutoInstall::no;
        throw Error(
            ErrorCode::invalid_input, fmt::format("config {} is '{}'", auto_install_key, text),
            fmt::format("set it to true, false or ask: omni config set {} ask", auto_install_key));
    }
    if (inputs.ci)
        return AutoInstall::no;
    return inputs.interactive ? AutoInstall::ask : AutoInstall::no;
}

}  // namespace omni::python
