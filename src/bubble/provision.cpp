#include "omni/bubble/provision.hpp"

#include <fmt/format.h>

#include "omni/bubble/source_builds.hpp"
#include "omni/index/url.hpp"
#include "omni/install/installed.hpp"
#include "omni/install/installer.hpp"
#include "omni/install/metadata_consistency.hpp"
#include "omni/resolve/index_source.hpp"
#include "omni/resolve/resolver.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/requirement.hpp"
#include "omni/util/log.hpp"
#include "omni/util/process.hpp"

namespace omni::bubble {

namespace {

namespace stdfs = std::filesystem;

std::string x_y(const python::InterpreterInfo& info) {
    return fmt::format("{}.{}", info.version.major, info.version.minor);
}

resolve::Dependency to_dependency(const standards::Requirement& r) {
    resolve::Dependency d{r.normalized_name(), {}, r.specifier};
    for (const auto& e : r.extras)
        d.extras.push_back(standards::normalize_name(e));
    return d;
}

// Asks the real source for versions but reports no dependencies: --no-deps.
class WithoutDependencies : public resolve::PackageSource {
  public:
    explicit WithoutDependencies(resolve::PackageSource& inner) : inner_(inner) {}
    std::vector<resolve::Candidate> versions(std::string_view name) override {
        return inner_.versions(name);
    }
    std::vector<resolve::Dependency> dependencies(std::string_view, const standards::Version&,
                                                  std::string_view) override {
        return {};
    }

  private:
    resolve::PackageSource& inner_;
};

resolve::IndexSource make_source(const ProvisionContext& context, const BuildOptions& build) {
    return resolve::IndexSource(
        context.index, context.interpreter, {build.no_binary, build.only_binary},
        [context, build](const DistFile& sdist) { return sdist_metadata(context, sdist, build); });
}

struct Resolved {
    std::vector<PlannedPackage> packages;
    std::vector<standards::Requirement> requested;
};

Resolved resolve_for(const ProvisionContext& context, const std::vector<std::string>& requirements,
                     const PlanOptions& options, resolve::IndexSource& source) {
    resolve::ResolveOptions ro;
    ro.prereleases = options.prereleases;
    ro.lowest = options.lowest;
    auto python_version = standards::Version::parse(
        fmt::format("{}.{}.{}", context.interpreter.version.major,
                    context.interpreter.version.minor, context.interpreter.version.micro));
    if (python_version)
        ro.python_version = *python_version;
    const auto env = resolve::marker_environment(context.interpreter);
    Resolved out;
    for (const auto& text : requirements) {
        auto r = standards::Requirement::parse(text);
        if (!r)
            throw r.error();
        if (!r->url.empty())
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("'{}' is a URL requirement, which omni does not install yet", text));
        if (!r->applies(env))
            continue;  // its marker excludes this interpreter
        ro.requirements.push_back(to_dependency(*r));
        out.requested.push_back(std::move(*r));
    }
    for (const auto& text : options.constraints) {
        auto r = standards::Requirement::parse(text);
        if (!r)
            throw r.error();
        ro.constraints.push_back(to_dependency(*r));
    }
    std::map<std::string, std::string> installed;
    for (const auto& d : install::list_installed(site_packages(context)))
        installed[d.name] = d.version;
    if (options.prefer_installed)
        for (const auto& [name, version] : installed)
            if (auto v = standards::Version::parse(version))
                ro.preferred.emplace(name, *v);
    WithoutDependencies bare(source);
    const auto resolution = options.no_deps ? resolve::solve(bare, ro) : resolve::solve(source, ro);
    for (const auto& p : resolution.packages) {
        const auto& file = source.file(p.name, p.version);
        PlannedPackage planned{p.name,        p.version.to_string(),
                               file.filename, redact_url(file.url),
                               std::nullopt,  false};
        if (auto it = installed.find(p.name); it != installed.end())
            planned.installed = it->second;
        for (const auto& r : out.requested)
            planned.requested = planned.requested || r.normalized_name() == p.name;
        out.packages.push_back(std::move(planned));
    }
    return out;
}

bool same_version(const std::string& a, const std::string& b) {
    auto va = standards::Version::parse(a), vb = standards::Version::parse(b);
    return va && vb ? *va == *vb : a == b;
}

// The wheel's own METADATA against its file name and, for a wheel of the
// index, against the metadata the resolution was made from.
void check_consistency(const resolve::IndexSource& source, const PlannedPackage& planned,
                       const install::UnpackedWheel& wheel) {
    const auto own = install::wheel_metadata(wheel);
    install::check_metadata_matches_filename(wheel, own);
    const auto version = *standards::Version::parse(planned.version);
    const auto& file = source.file(planned.name, version);
    if (!file.is_wheel())
        return;  // built here from an sdist: its PKG-INFO may leave fields dynamic
    if (const auto used = source.used_metadata(planned.name, version))
        install::check_metadata_matches_resolution(
            wheel, own, *used, redact_url(file.has_metadata_file ? file.metadata_url() : file.url));
}

// Downloads (through the cache) and unpacks the wheels of a plan; sdists
// are built (once, cached) into wheels first.
std::vector<install::UnpackedWheel> fetch(const ProvisionContext& context,
                                          resolve::IndexSource& source,
                                          const std::vector<PlannedPackage>& packages,
                                          const BuildOptions& build) {
    std::vector<DistFile> wheels;
    std::vector<std::size_t> wheel_index;
    std::vector<stdfs::path> paths(packages.size());
    std::vector<std::string> hashes(packages.size());
    for (std::size_t i = 0; i < packages.size(); ++i) {
        const auto& file =
            source.file(packages[i].name, *standards::Version::parse(packages[i].version));
        if (file.is_wheel()) {
            wheels.push_back(file);
            wheel_index.push_back(i);
            hashes[i] = file.sha256().value_or("");
        } else {
            paths[i] = built_wheel(context, file, build);
        }
    }
    const auto fetched = context.index.fetch_wheels(wheels);
    for (std::size_t k = 0; k < fetched.size(); ++k)
        paths[wheel_index[k]] = fetched[k];
    std::vector<install::UnpackedWheel> out;
    // A wheel the index gave a hash for was checked against it on download.
    for (std::size_t i = 0; i < paths.size(); ++i) {
        out.push_back(install::unpack_wheel(context.home, paths[i], hashes[i]));
        check_consistency(source, packages[i], out.back());
    }
    return out;
}

}  // namespace

std::filesystem::path site_packages(const ProvisionContext& context) {
    return install::InstallTarget::venv(context.env_root, x_y(context.interpreter)).purelib;
}

std::vector<PlannedPackage> plan_install(const ProvisionContext& context,
                                         const std::vector<std::string>& requirements,
                                         const PlanOptions& options) {
    auto source = make_source(context, options.build);
    return resolve_for(context, requirements, options, source).packages;
}

EnsureResult ensure_bubble(const ProvisionContext& context, const std::string& requirement,
                           const PlanOptions& options) {
    auto source = make_source(context, options.build);
    PlanOptions alone = options;
    alone.prefer_installed = false;  // a bubble is its own world
    const auto resolved = resolve_for(context, {requirement}, alone, source);
    if (resolved.requested.empty())
        throw Error(ErrorCode::invalid_input,
                    fmt::format("'{}' does not apply to {} (its marker excludes it)", requirement,
                                context.interpreter.describe()));
    const auto name = resolved.requested.front().normalized_name();
    const auto top = std::find_if(resolved.packages.begin(), resolved.packages.end(),
                                  [&](const PlannedPackage& p) { return p.name == name; });
    BubbleStore store(context.home);
    const BubbleSpec spec{context.interpreter.env_key(), name, top->version, requirement,
                          options.lowest ? "lowest" : ""};
    return store.ensure(spec, [&](const stdfs::path& root) {
        std::vector<Distribution> dists;
        const auto target = install::InstallTarget::bubble(
            root, context.env_root / "bin" / "python", x_y(context.interpreter));
        for (const auto& wheel : fetch(context, source, resolved.packages, options.build)) {
            const auto installed =
                install::install_wheel(wheel, target, {wheel.name == name, std::nullopt});
            dists.push_back({standards::normalize_name(wheel.name), wheel.version, wheel.top_level,
                             installed.files.size(), wheel.sha256});
        }
        return dists;
    });
}

InstallOutcome install_requirements(const ProvisionContext& context,
                                    const std::vector<std::string>& requirements,
                                    Placement placement, const PlanOptions& options) {
    auto source = make_source(context, options.build);
    const auto resolved = resolve_for(context, requirements, options, source);
    InstallOutcome outcome;
    std::vector<PlannedPackage> changes;
    for (const auto& p : resolved.packages)
        if (p.installed && !same_version(*p.installed, p.version))
            changes.push_back(p);
    if (placement == Placement::bubble ||
        (placement == Placement::stable_main && !changes.empty())) {
        for (const auto& c : changes)
            outcome.why_bubbles += fmt::format("{}{} {} would replace {} in the main env",
                                               outcome.why_bubbles.empty() ? "" : "; ", c.name,
                                               c.version, *c.installed);
        outcome.in_bubbles = true;
        for (const auto& r : resolved.requested)
            outcome.bubbles.push_back(ensure_bubble(context, r.to_string(), options).info);
        return outcome;
    }
    std::vector<PlannedPackage> to_install;
    for (const auto& p : resolved.packages) {
        if (p.installed && same_version(*p.installed, p.version) &&
            !(options.reinstall && p.requested))
            outcome.unchanged.push_back(p);
        else
            to_install.push_back(p);
    }
    // --main (changes) and --reinstall: the old files go first.
    for (const auto& d : install::list_installed(site_packages(context)))
        for (const auto& p : to_install)
            if (d.name == p.name && p.installed)
                install::uninstall(d, site_packages(context), context.env_root);
    const auto target = install::InstallTarget::venv(context.env_root, x_y(context.interpreter));
    const auto wheels = fetch(context, source, to_install, options.build);
    for (std::size_t i = 0; i < wheels.size(); ++i) {
        const auto installed =
            install::install_wheel(wheels[i], target, {to_install[i].requested, std::nullopt});
        outcome.installed.push_back(to_install[i]);
        if (options.compile) {
            // The target interpreter compiles its own byte code, as pip does.
            ProcessOptions compile;
            compile.argv = {(context.env_root / "bin" / "python").string(), "-m", "compileall",
                            "-q"};
            for (const auto& f : installed.files)
                if (f.extension() == ".py" &&
                    f.native().starts_with(site_packages(context).native()))
                    compile.argv.push_back(f.string());
            compile.timeout = std::chrono::minutes(5);
            if (compile.argv.size() > 4 && !run_process(compile).ok())
                logger().warn("byte-compiling {} reported errors", to_install[i].name);
        }
    }
    return outcome;
}

PlannedPackage install_wheel_file(const ProvisionContext& context, const stdfs::path& wheel,
                                  const std::string& direct_url) {
    const auto target = install::InstallTarget::venv(context.env_root, x_y(context.interpreter));
    const auto unpacked = install::unpack_wheel(context.home, wheel);
    // An older copy of the same project goes first, as pip does.
    const auto name = standards::normalize_name(unpacked.name);
    for (const auto& d : install::list_installed(site_packages(context)))
        if (d.name == name)
            install::uninstall(d, site_packages(context), context.env_root);
    install::install_wheel(unpacked, target, {true, direct_url});
    return {name,
            unpacked.version,
            unpacked.filename,
            "file://" + stdfs::absolute(wheel).string(),
            std::nullopt,
            true};
}

std::vector<PlannedPackage> install_wheel_files(const ProvisionContext& context,
                                                const std::vector<stdfs::path>& wheels) {
    std::vector<PlannedPackage> out;
    for (const auto& path : wheels) {
        if (!stdfs::exists(path))
            throw Error(ErrorCode::not_found,
                        fmt::format("wheel file '{}' does not exist", path.string()));
        const auto unpacked = install::unpack_wheel(context.home, path);
        out.push_back(
            install_wheel_file(context, path, install::direct_url_for_file(path, unpacked.sha256)));
    }
    return out;
}

void install_into_directory(const ProvisionContext& context,
                            const std::vector<std::string>& requirements, const stdfs::path& root) {
    PlanOptions options;
    options.prefer_installed = false;
    // A source without sdist metadata offers wheels only.
    resolve::IndexSource source(context.index, context.interpreter);
    auto resolved = resolve_for(context, requirements, options, source);
    // A second call (get_requires_for_build_wheel) adds to the first.
    const auto have = install::list_installed(root);
    std::erase_if(resolved.packages, [&](const PlannedPackage& p) {
        return std::any_of(have.begin(), have.end(),
                           [&](const auto& d) { return d.name == p.name; });
    });
    const auto target =
        install::InstallTarget::bubble(root, context.interpreter.path, x_y(context.interpreter));
    for (const auto& wheel : fetch(context, source, resolved.packages, options.build))
        install::install_wheel(wheel, target, {false, std::nullopt});
}

}  // namespace omni::bubble
