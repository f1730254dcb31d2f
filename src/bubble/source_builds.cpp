#include "omni/bubble/source_builds.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omni/home/staging.hpp"
#include "omni/install/built_wheels.hpp"
#include "omni/install/sdist.hpp"
#include "omni/install/source_build.hpp"
#include "omni/install/unpacked_wheel.hpp"
#include "omni/resolve/index_source.hpp"
#include "omni/standards/metadata.hpp"
#include "omni/standards/tags.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"
#include "omni/util/log.hpp"

namespace omni::bubble {

namespace stdfs = std::filesystem;

namespace {

// The interpreter's most specific tag: wheels built for it are keyed by it.
std::string interpreter_tag(const python::InterpreterInfo& interpreter) {
    const auto tags = standards::supported_tags(resolve::interpreter_facts(interpreter));
    return tags.empty() ? interpreter.env_key() : tags.front().to_string();
}

install::SourceBuild source_build(const ProvisionContext& context, const stdfs::path& source,
                                  std::string label, bool editable, const BuildOptions& build,
                                  const stdfs::path& out_dir) {
    install::SourceBuild b;
    b.source_dir = source;
    b.label = std::move(label);
    b.base_python = context.interpreter.path;
    b.env_python = context.env_root / "bin" / "python";
    b.isolation = build.isolation;
    b.editable = editable;
    b.out_dir = out_dir;
    b.install_requirements = [context](const std::vector<std::string>& requirements,
                                       const stdfs::path& root) {
        install_into_directory(context, requirements, root);
    };
    return b;
}

stdfs::path build_sdist_file(const ProvisionContext& context, const stdfs::path& sdist,
                             const std::string& sha256, const BuildOptions& build) {
    return install::cached_build(
               context.home, sha256, interpreter_tag(context.interpreter),
               [&](const stdfs::path& out) {
                   const auto source = install::unpack_sdist(sdist, out.parent_path() / "src");
                   return install::build_from_source(
                       context.home,
                       source_build(context, source, sdist.filename().string(), false, build, out));
               })
        .wheel;
}

std::string wheel_metadata(const Home& home, const stdfs::path& wheel) {
    const auto unpacked = install::unpack_wheel(home, wheel);
    return fs::read_file(unpacked.root / unpacked.dist_info / "METADATA");
}

std::string file_url(const stdfs::path& path) {
    return "file://" + stdfs::absolute(path).lexically_normal().string();
}

}  // namespace

stdfs::path built_wheel(const ProvisionContext& context, const DistFile& sdist,
                        const BuildOptions& build) {
    const auto path = context.index.fetch_wheel(sdist);
    const auto sha256 = sdist.sha256().value_or(sha256_file(path));
    const ReportedStep step(context.progress, ProvisionStep::Kind::building, sdist.filename);
    return build_sdist_file(context, path, sha256, build);
}

std::string sdist_metadata(const ProvisionContext& context, const DistFile& sdist,
                           const BuildOptions& build) {
    const auto path = context.index.fetch_wheel(sdist);
    if (const auto pkg_info = install::read_sdist_pkg_info(path);
        pkg_info && install::pkg_info_is_static(*pkg_info))
        return *pkg_info;
    return wheel_metadata(context.home, built_wheel(context, sdist, build));
}

LocalInstall install_local_project(const ProvisionContext& context, const stdfs::path& dir,
                                   bool editable, const PlanOptions& options,
                                   const std::vector<std::string>& extras) {
    std::error_code ec;
    const auto absolute = stdfs::absolute(dir).lexically_normal();
    LocalInstall out;
    std::optional<StagingDir> scratch;
    nlohmann::json direct_url;
    if (stdfs::is_regular_file(absolute, ec) &&
        install::is_sdist_filename(absolute.filename().string())) {
        if (editable)
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("'{}' is an sdist; -e needs a project directory", dir.string()));
        out.wheel = build_sdist_file(context, absolute, sha256_file(absolute), options.build);
        direct_url = {{"url", file_url(absolute)},
                      {"archive_info", {{"hashes", {{"sha256", sha256_file(absolute)}}}}}};
    } else {
        if (!stdfs::is_directory(absolute, ec) ||
            (!stdfs::exists(absolute / "pyproject.toml", ec) &&
             !stdfs::exists(absolute / "setup.py", ec)))
            throw Error(ErrorCode::invalid_input,
                        fmt::format("'{}' is not a Python project (no pyproject.toml or setup.py)",
                                    dir.string()),
                        "give a directory with pyproject.toml or setup.py, or an sdist file");
        scratch.emplace(StagingDir::create(context.home, "local-build"));
        out.wheel = install::build_from_source(
            context.home, source_build(context, absolute, absolute.filename().string(), editable,
                                       options.build, scratch->path() / "out"));
        direct_url = {{"url", file_url(absolute)}, {"dir_info", nlohmann::json::object()}};
        if (editable)
            direct_url["dir_info"]["editable"] = true;
    }
    auto metadata = standards::CoreMetadata::parse(wheel_metadata(context.home, out.wheel));
    if (!metadata)
        throw Error(ErrorCode::integrity,
                    fmt::format("the wheel built from '{}' has bad METADATA: {}", dir.string(),
                                metadata.error().what()));
    check_requires_python(context, *metadata, "'" + dir.string() + "'");
    for (const auto& extra : extras)
        if (std::find(metadata->provides_extra.begin(), metadata->provides_extra.end(), extra) ==
            metadata->provides_extra.end())
            logger().warn("'{}' has no extra '{}'", dir.string(), extra);
    if (!options.no_deps) {
        std::vector<std::string> dependencies;
        for (const auto& r :
             metadata->requirements_for(resolve::marker_environment(context.interpreter), extras))
            dependencies.push_back(r.to_string());
        if (!dependencies.empty()) {
            auto outcome = install_requirements(context, dependencies, Placement::main, options);
            out.dependencies = outcome.installed;  // what was there already is not listed
        }
    }
    out.package = install_wheel_file(context, out.wheel, direct_url.dump(), options.link_mode);
    return out;
}

}  // namespace omni::bubble
