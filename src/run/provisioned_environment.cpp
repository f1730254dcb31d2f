#include "omni/run/provisioned_environment.hpp"

#include <fmt/format.h>

#include "omni/bubble/hold.hpp"
#include "omni/bubble/loader.hpp"
#include "omni/bubble/store.hpp"
#include "omni/home/staging.hpp"
#include "omni/install/installed.hpp"
#include "omni/python/main_env.hpp"
#include "omni/resolve/index_source.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/requirement.hpp"
#include "omni/standards/version.hpp"
#include "omni/util/log.hpp"
#include "omni/util/process.hpp"

namespace omni::run {

namespace stdfs = std::filesystem;

ProvisionedEnvironment::ProvisionedEnvironment(bubble::ProvisionContext context,
                                               python::Registry& registry)
    : context_(std::move(context)), registry_(registry) {}

bubble::BubbleInfo ProvisionedEnvironment::ensure_bubble(const std::string& requirement) {
    return bubble::ensure_bubble(context_, requirement).info;
}

std::vector<FileLock> ProvisionedEnvironment::hold(std::vector<bubble::BubbleInfo>& bubbles) {
    if (!side_effect_free)
        return bubble::hold_bubbles(context_, bubbles);
    // A dry run builds nothing: a bubble that went meanwhile is left out.
    const bubble::BubbleStore store(context_.home);
    std::vector<FileLock> holds;
    std::erase_if(bubbles, [&](const bubble::BubbleInfo& b) {
        holds.push_back(store.hold(b));
        return !store.find(b.env_key, b.name, b.version, b.variant).has_value();
    });
    return holds;
}

bool ProvisionedEnvironment::is_known(std::string_view distribution) {
    const auto name = standards::normalize_name(distribution);
    const auto site = bubble::site_packages(context_);
    for (const auto& d : install::list_installed(site))
        if (d.name == name)
            return true;
    for (const auto& b : bubble::BubbleStore(context_.home).list())
        for (const auto& d : b.distributions)
            if (d.name == name)
                return true;
    // A wheel in the cache was downloaded here before.
    std::error_code ec;
    for (const auto& dir : stdfs::directory_iterator(context_.home.cache_dir() / "wheels", ec))
        for (const auto& file : stdfs::directory_iterator(dir.path(), ec)) {
            const auto filename = file.path().filename().string();
            if (standards::normalize_name(filename.substr(0, filename.find('-'))) == name)
                return true;
        }
    return false;
}

std::optional<std::string> ProvisionedEnvironment::version_providing(const Finding& finding) {
    resolve::IndexSource source(context_.index, context_.interpreter);
    auto versions = source.versions(standards::normalize_name(finding.requirement));
    std::sort(versions.begin(), versions.end(),
              [](const auto& a, const auto& b) { return b.version < a.version; });
    int tries = 0;
    for (const auto& candidate : versions) {
        if (candidate.yanked || candidate.version.is_prerelease())
            continue;
        if (++tries > search_budget)
            break;
        const auto requirement =
            fmt::format("{}=={}", finding.requirement, candidate.version.to_string());
        // A probe is staged and discarded: no bubble is left for a version
        // that does not help.
        auto staging = StagingDir::create(context_.home, "heal-probe");
        try {
            bubble::install_into_directory(context_, {requirement}, staging.path());
        } catch (const Error& e) {
            logger().info("{} could not be probed: {}", requirement, e.what());
            continue;
        }
        ProcessOptions probe;
        probe.argv = {
            env_python().string(), "-c",
            fmt::format("import importlib; m = importlib.import_module('{}'); getattr(m, '{}')",
                        finding.module, finding.name)};
        probe.env["PYTHONPATH"] = staging.path().string();
        probe.timeout = std::chrono::seconds(60);
        if (run_process(probe).ok())
            return requirement;
        logger().info("{} does not provide {}.{}", requirement, finding.module, finding.name);
    }
    return std::nullopt;
}

ImportResolution ProvisionedEnvironment::provider_of(std::string_view module) {
    auto resolution = resolve_import_name(context_, module, !side_effect_free);
    if (!resolution.verified() && side_effect_free)
        resolution.tried.push_back("the index is not asked in a dry run");
    if (resolution.verified())
        logger().info("import {} -> {}: {}", module, resolution.distribution, resolution.proof);
    return resolution;
}

std::vector<std::string> ProvisionedEnvironment::new_distributions(const std::string& requirement) {
    std::vector<std::string> out;
    try {
        bubble::PlanOptions options;
        options.prefer_installed = false;
        for (const auto& p : bubble::plan_install(context_, {requirement}, options))
            if (!is_known(p.name))
                out.push_back(p.name);
    } catch (const Error& e) {
        logger().info("could not resolve {} to list what it brings: {}", requirement, e.what());
    }
    return out;
}

std::optional<bubble::BubbleInfo> ProvisionedEnvironment::existing_bubble(
    const std::string& requirement) const {
    auto parsed = standards::Requirement::parse(requirement);
    if (!parsed)
        return std::nullopt;
    const auto text = parsed->specifier.to_string();
    if (!text.starts_with("==") || text.find(',') != std::string::npos ||
        text.find('*') != std::string::npos)
        return std::nullopt;
    auto version = standards::Version::parse(text.substr(2));
    if (!version)
        return std::nullopt;
    return bubble::BubbleStore(context_.home)
        .find(context_.interpreter.env_key(), parsed->normalized_name(), version->to_string());
}

std::optional<std::string> ProvisionedEnvironment::interpreter_for(std::string_view specifier) {
    auto request = python::PythonRequest::parse(specifier);
    if (!request)
        return std::nullopt;
    try {
        const auto selection = registry_.find(*request);
        if (side_effect_free)
            return selection.interpreter.path.string();
        const auto env = python::ensure_main_env(context_.home, selection.interpreter);
        bubble::ensure_loader(env, context_.home);
        context_.interpreter = selection.interpreter;
        context_.env_root = env;
        return (env / "bin" / "python").string();
    } catch (const Error& e) {
        logger().info("no interpreter for Python {}: {}", specifier, e.what());
        return std::nullopt;
    }
}

}  // namespace omni::run
