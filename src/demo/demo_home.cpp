#include "omni/demo/demo_home.hpp"

#include <stdlib.h>

#include <fmt/format.h>

#include "omni/bubble/provision.hpp"
#include "omni/home/config.hpp"
#include "omni/install/installed.hpp"
#include "omni/python/choice.hpp"
#include "omni/python/main_env.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::demo {

namespace stdfs = std::filesystem;

namespace {

std::vector<stdfs::path> children(const stdfs::path& dir) {
    std::vector<stdfs::path> out;
    std::error_code ec;
    for (const auto& e : stdfs::directory_iterator(dir, ec))
        out.push_back(e.path());
    return out;
}

// Every site-packages of an env (lib/python*/site-packages).
std::vector<stdfs::path> site_dirs(const stdfs::path& env) {
    std::vector<stdfs::path> out;
    for (const auto& lib : children(env / "lib")) {
        std::error_code ec;
        if (lib.filename().string().starts_with("python") &&
            stdfs::is_directory(lib / "site-packages", ec))
            out.push_back(lib / "site-packages");
    }
    return out;
}

std::set<std::string> dist_names(const stdfs::path& env) {
    std::set<std::string> out;
    for (const auto& site : site_dirs(env))
        for (const auto& d : install::list_installed(site))
            out.insert(d.name);
    return out;
}

}  // namespace

ScratchHome ScratchHome::create(const Home& user, int demo_number) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = (stdfs::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") /
                           fmt::format("omni-demo-{}.XXXXXX", demo_number))
                              .string();
    if (::mkdtemp(pattern.data()) == nullptr)
        throw_errno("create a scratch home", pattern, errno);
    ScratchHome scratch{stdfs::path(pattern)};
    const Home home(scratch.root_);
    home.ensure_layout();
    std::error_code ec;
    if (stdfs::is_directory(user.interpreters_dir(), ec)) {
        stdfs::remove(home.interpreters_dir(), ec);
        stdfs::create_directory_symlink(user.interpreters_dir(), home.interpreters_dir(), ec);
    }
    return scratch;
}

ScratchHome::ScratchHome(ScratchHome&& other) noexcept
    : root_(std::move(other.root_)), kept_(other.kept_) {
    other.kept_ = true;
}

ScratchHome::~ScratchHome() {
    if (kept_ || root_.empty())
        return;
    try {
        fs::remove_tree(root_);
    } catch (const std::exception& e) {
        logger().warn("could not remove the scratch home {}: {}", root_.string(), e.what());
    }
}

HomeSnapshot snapshot_home(const Home& home) {
    HomeSnapshot snap;
    snap.active = Config(home).get(python::active_key);
    for (const auto& env : children(home.envs_dir()))
        snap.envs.emplace(env, dist_names(env));
    for (const auto& key : children(home.bubbles_dir()))
        for (const auto& bubble : children(key))
            snap.bubbles.insert(bubble);
    std::error_code ec;
    snap.demo_wheels = stdfs::exists(home.root() / "demo", ec);
    return snap;
}

RestoreOutcome restore_home(const Home& home, const HomeSnapshot& before,
                            python::Registry& registry, const IndexClient& index) {
    RestoreOutcome out;
    const auto now = snapshot_home(home);
    Config config(home);
    if (now.active != before.active) {
        if (before.active)
            config.set(python::active_key, *before.active);
        else
            config.unset(python::active_key);
        out.undone.push_back(fmt::format("the global python is {} again",
                                         before.active ? before.active->dump() : "unset"));
    }
    for (const auto& [env, dists] : now.envs) {
        const auto was = before.envs.find(env);
        if (was == before.envs.end()) {
            fs::remove_tree(env);
            out.undone.push_back(fmt::format("removed the env {}", env.string()));
            continue;
        }
        std::vector<std::string> added;
        for (const auto& d : dists)
            if (!was->second.contains(d))
                added.push_back(d);
        if (added.empty())
            continue;
        for (const auto& info : registry.interpreters()) {
            if (python::main_env_path(home, info) != env)
                continue;
            bubble::uninstall_packages({home, index, info, env}, added);
            out.undone.push_back(
                fmt::format("uninstalled {} from {}", fmt::join(added, ", "), env.string()));
            break;
        }
    }
    for (const auto& bubble : now.bubbles) {
        if (before.bubbles.contains(bubble))
            continue;
        fs::remove_tree(bubble);
        out.undone.push_back(fmt::format("removed the bubble {}", bubble.string()));
    }
    std::error_code ec;
    if (!before.demo_wheels && stdfs::exists(home.root() / "demo", ec)) {
        fs::remove_tree(home.root() / "demo");
        out.undone.push_back("removed the demo wheels");
    }
    return out;
}

}  // namespace omni::demo
