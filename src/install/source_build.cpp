#include "omni/install/source_build.hpp"

#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omni/home/staging.hpp"
#include "omni/install/build_system.hpp"
#include "omni/pep517_hooks_py.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"
#include "omni/util/process.hpp"

namespace omni::install {

namespace stdfs = std::filesystem;

namespace {

std::string tail_lines(const std::string& text, std::size_t lines) {
    std::size_t pos = text.size();
    for (std::size_t n = 0; n <= lines && pos > 0; ++n) {
        pos = text.rfind('\n', pos - 1);
        if (pos == std::string::npos)
            return text;
    }
    return text.substr(pos + 1);
}

std::string safe_name(std::string text) {
    for (auto& c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-')
            c = '_';
    return text;
}

class HookRunner {
  public:
    HookRunner(const Home& home, const SourceBuild& build, const BuildSystem& system,
               const stdfs::path& work)
        : home_(home), build_(build), system_(system), work_(work) {
        fs::atomic_write(work_ / "pep517_hooks.py", pep517_hooks_py);
    }

    // Runs a hook; returns its JSON result.
    nlohmann::json run(const std::string& hook, const stdfs::path& build_env,
                       const std::optional<stdfs::path>& out_dir = std::nullopt) {
        const auto result_file = work_ / (hook + ".json");
        ProcessOptions options;
        const bool isolated = build_.isolation;
        options.argv = {(isolated ? build_.base_python : build_.env_python).string()};
        if (isolated)
            options.argv.push_back("-S");  // the interpreter's own site-packages stay out
        options.argv.insert(options.argv.end(), {(work_ / "pep517_hooks.py").string(), hook,
                                                 build_.source_dir.string(), result_file.string()});
        if (out_dir)
            options.argv.push_back(out_dir->string());
        options.cwd = build_.source_dir;
        options.env["OMNI_BUILD_BACKEND"] = system_.backend;
        std::string backend_path;
        for (const auto& p : system_.backend_path)
            backend_path += (backend_path.empty() ? "" : ":") + p;
        options.env["OMNI_BUILD_BACKEND_PATH"] = backend_path;
        options.env["OMNI_BUILD_ENV"] = isolated ? std::optional(build_env.string()) : std::nullopt;
        options.env["PYTHONPATH"] = std::nullopt;
        options.env["PYTHONNOUSERSITE"] = "1";
        options.env["PYTHONDONTWRITEBYTECODE"] = "1";
        options.env["PIP_NO_INPUT"] = "1";
        options.env["TMPDIR"] = work_.string();
        options.timeout = std::chrono::minutes(30);
        options.new_process_group = true;
        const auto r = run_process(options);
        log_ += fmt::format("$ {} ({})\n{}{}", hook, system_.backend, r.out, r.err);
        if (!r.ok())
            fail(hook, r.describe());
        try {
            return nlohmann::json::parse(fs::read_file(result_file));
        } catch (const std::exception& e) {
            fail(hook, fmt::format("it left no result: {}", e.what()));
        }
    }

    [[noreturn]] void fail(const std::string& step, const std::string& why) {
        const auto logs = home_.root() / "logs";
        stdfs::create_directories(logs);
        const auto log =
            logs / fmt::format("build-{}-{:%Y%m%dT%H%M%S}.log", safe_name(build_.label),
                               fmt::gmtime(std::time(nullptr)));
        fs::atomic_write(log, log_);
        throw Error(
            ErrorCode::process,
            fmt::format("building {} failed in {} (backend {}): {}\nlog: {}\n{}", build_.label,
                        step, system_.backend, why, log.string(), tail_lines(log_, 15)),
            "the log has the whole build output; -v shows it as it happens");
    }

    const std::string& log() const { return log_; }

  private:
    const Home& home_;
    const SourceBuild& build_;
    const BuildSystem& system_;
    stdfs::path work_;
    std::string log_;
};

std::vector<std::string> as_requirements(const nlohmann::json& value) {
    std::vector<std::string> out;
    if (value.is_array())
        for (const auto& item : value)
            if (item.is_string())
                out.push_back(item.get<std::string>());
    return out;
}

}  // namespace

stdfs::path build_from_source(const Home& home, const SourceBuild& build) {
    const auto system = read_build_system(build.source_dir);
    auto work = StagingDir::create(home, "build");
    const auto env = work.path() / "env";
    stdfs::create_directories(env);
    HookRunner hooks(home, build, system, work.path());
    const std::string kind = build.editable ? "editable" : "wheel";
    if (build.isolation) {
        try {
            if (!system.requirements.empty())
                build.install_requirements(system.requirements, env);
        } catch (const Error& e) {
            hooks.fail("installing the build requirements", e.what());
        }
    }
    const auto extra = as_requirements(hooks.run("get_requires_for_build_" + kind, env));
    if (build.isolation && !extra.empty()) {
        try {
            build.install_requirements(extra, env);
        } catch (const Error& e) {
            hooks.fail("installing what get_requires_for_build_" + kind + " asked for", e.what());
        }
    }
    stdfs::create_directories(build.out_dir);
    const auto name = hooks.run("build_" + kind, env, build.out_dir);
    const auto wheel = build.out_dir / (name.is_string() ? name.get<std::string>() : "");
    std::error_code ec;
    if (!name.is_string() || !stdfs::is_regular_file(wheel, ec))
        hooks.fail("build_" + kind, "the backend returned no wheel file name");
    logger().info("build of {}:\n{}", build.label, hooks.log());
    return wheel;
}

}  // namespace omni::install
