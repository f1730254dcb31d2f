#include "omni/bubble/doctor_envs.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "omni/bubble/store.hpp"
#include "omni/install/env_check.hpp"
#include "omni/python/main_env.hpp"

namespace omni::bubble {

namespace stdfs = std::filesystem;

namespace {

// lib/pythonX.Y/site-packages of a venv; empty when it has none.
stdfs::path library_of(const stdfs::path& env) {
    std::error_code ec;
    for (const auto& lib : stdfs::directory_iterator(env / "lib", ec))
        if (lib.path().filename().string().starts_with("python") &&
            stdfs::is_directory(lib.path() / "site-packages", ec))
            return lib.path() / "site-packages";
    return {};
}

stdfs::path canonical_or_same(const stdfs::path& path) {
    std::error_code ec;
    auto out = stdfs::weakly_canonical(path, ec);
    return ec ? path : out;
}

}  // namespace

std::vector<DoctorEnv> doctor_envs(const Home& home,
                                   const std::vector<python::InterpreterInfo>& interpreters,
                                   const ProvisionContext* target) {
    std::vector<DoctorEnv> out;
    std::error_code ec;
    std::vector<stdfs::path> roots;
    for (const auto& e : stdfs::directory_iterator(home.envs_dir(), ec))
        if (e.is_directory(ec))
            roots.push_back(canonical_or_same(e.path()));
    std::sort(roots.begin(), roots.end());
    const auto target_root = target ? canonical_or_same(target->env_root) : stdfs::path();
    if (target && std::find(roots.begin(), roots.end(), target_root) == roots.end())
        roots.push_back(target_root);
    for (const auto& root : roots) {
        DoctorEnv env{root, library_of(root), std::nullopt, std::nullopt, root == target_root};
        if (env.library.empty())
            continue;
        if (env.target)
            env.interpreter = target->interpreter;
        else
            for (const auto& i : interpreters)
                if (canonical_or_same(python::main_env_path(home, i)) == root) {
                    env.interpreter = i;
                    break;
                }
        out.push_back(std::move(env));
    }
    for (auto& b : BubbleStore(home).list()) {
        DoctorEnv env{b.path, b.path, std::nullopt, std::nullopt, false};
        for (const auto& i : interpreters)
            if (i.env_key() == b.env_key) {
                env.interpreter = i;
                break;
            }
        env.bubble = std::move(b);
        out.push_back(std::move(env));
    }
    return out;
}

RepairOutcome repair_doctor_env(const Home& home, const IndexClient& index, const DoctorEnv& env) {
    if (!env.bubble) {
        if (!env.interpreter)
            return repair_env(env.root, env.library, nullptr);
        const ProvisionContext context{home, index, *env.interpreter, env.root};
        return repair_env(env.root, env.library, &context);
    }
    RepairOutcome out;
    const auto report = install::check_env(env.root, env.library, true);
    if (report.ok())
        return out;
    const auto& bubble = *env.bubble;
    std::vector<std::string> damaged;
    for (const auto& d : report.damaged)
        damaged.push_back(d.dist.name + " " + d.dist.version);
    for (const auto& d : report.phantoms)
        damaged.push_back(d.dist_info.filename().string());
    std::error_code ec;
    const auto main_env =
        env.interpreter ? python::main_env_path(home, *env.interpreter) : stdfs::path();
    if (!env.interpreter || !stdfs::exists(main_env / "bin" / "python", ec)) {
        for (const auto& d : damaged)
            out.not_repaired.push_back(
                fmt::format("{}: no interpreter {} with a main env here to rebuild the bubble with "
                            "(omni bubble remove {}=={} and build it again)",
                            d, bubble.env_key, bubble.name, bubble.version));
        return out;
    }
    try {
        repair_bubble({home, index, *env.interpreter, main_env}, bubble);
        out.reinstalled = std::move(damaged);
    } catch (const Error& e) {
        for (const auto& d : damaged)
            out.not_repaired.push_back(fmt::format("{}: {}", d, e.what()));
    }
    return out;
}

}  // namespace omni::bubble
