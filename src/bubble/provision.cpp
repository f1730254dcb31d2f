#include "omni/bubble/provision.hpp"

#include <algorithm>
#include <future>
#include <mutex>
#include <optional>

#include <fmt/format.h>

#include "omni/bubble/source_builds.hpp"
#include "omni/home/cache_lock.hpp"
#include "omni/index/url.hpp"
#include "omni/install/env_check.hpp"
#include "omni/install/env_transaction.hpp"
#include "omni/install/installed.hpp"
#include "omni/install/installer.hpp"
#include "omni/install/metadata_consistency.hpp"
#include "omni/resolve/index_source.hpp"
#include "omni/resolve/resolver.hpp"
#include "omni/standards/metadata.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/requirement.hpp"
#include "omni/standards/tags.hpp"
#include "omni/standards/version.hpp"
#include "omni/standards/wheel_name.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"
#include "omni/util/log.hpp"
#include "omni/util/process.hpp"
#include "omni/util/thread_pool.hpp"

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
            if (std::find(options.upgrade.begin(), options.upgrade.end(), name) ==
                options.upgrade.end())
                if (auto v = standards::Version::parse(version))
                    ro.preferred.emplace(name, *v);
    const bool hash_mode = options.require_hashes || !options.hashes.empty();
    if (hash_mode)
        for (const auto& r : out.requested) {
            const auto specs = r.specifier.specifiers();
            const bool pinned = specs.size() == 1 && !specs[0].is_wildcard() &&
                                (specs[0].op() == standards::SpecOp::equal ||
                                 specs[0].op() == standards::SpecOp::arbitrary);
            if (!pinned)
                throw Error(
                    ErrorCode::invalid_input,
                    fmt::format("hash-checking mode: '{}' is not pinned with ==", r.to_string()),
                    "pin every requirement (name==version --hash=sha256:...), as pip "
                    "requires with --require-hashes");
        }
    WithoutDependencies bare(source);
    const auto resolution = options.no_deps ? resolve::solve(bare, ro) : resolve::solve(source, ro);
    for (const auto& p : resolution.packages) {
        const auto& file = source.file(p.name, p.version);
        PlannedPackage planned;
        planned.name = p.name;
        planned.version = p.version.to_string();
        planned.wheel = file.filename;
        planned.wheel_url = redact_url(file.url);
        if (auto it = installed.find(p.name); it != installed.end())
            planned.installed = it->second;
        for (const auto& r : out.requested)
            if (r.normalized_name() == p.name) {
                planned.requested = true;
                planned.requested_extras.insert(planned.requested_extras.end(), r.extras.begin(),
                                                r.extras.end());
            }
        // Hash-checking mode covers the whole plan, what is installed too.
        if (hash_mode && !options.hashes.contains(p.name))
            throw Error(ErrorCode::integrity,
                        fmt::format("hash-checking mode: {} {} has no --hash", p.name,
                                    p.version.to_string()),
                        "every distribution needs one, dependencies too: add '" + p.name + "==" +
                            p.version.to_string() + " --hash=sha256:...' to the requirements file");
        planned.sha256 = file.sha256().value_or("");
        if (planned.sha256.empty() && options.with_metadata && file.url.starts_with("file://")) {
            std::error_code ec;
            const stdfs::path local = file.url.substr(7);
            if (stdfs::is_regular_file(local, ec))
                planned.sha256 = sha256_file(local);
        }
        planned.yanked = file.yanked;
        if (options.with_metadata)
            planned.metadata =
                std::make_shared<const standards::CoreMetadata>(source.metadata(p.name, p.version));
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

// Hash-checking mode: the file must carry one of the allowed hashes. When
// the index gave a hash it must be one of them (refused before any byte is
// fetched); otherwise the one allowed hash becomes the file's, which the
// download checks as it streams. Several allowed hashes and none from the
// index: the downloaded file is checked after (see fetch).
DistFile with_allowed_hash(const PlannedPackage& p, DistFile file, const PlanOptions& options) {
    const auto it = options.hashes.find(p.name);
    if (it == options.hashes.end() || it->second.empty())
        throw Error(ErrorCode::integrity,
                    fmt::format("hash-checking mode: {} {} has no --hash", p.name, p.version),
                    "every distribution needs one, dependencies too: add '" + p.name +
                        "==" + p.version + " --hash=sha256:...' to the requirements file");
    const auto& allowed = it->second;
    if (const auto index_hash = file.sha256()) {
        if (std::find(allowed.begin(), allowed.end(), "sha256:" + *index_hash) == allowed.end())
            throw Error(ErrorCode::integrity,
                        fmt::format("hash-checking mode: {} ({}) has sha256 {}, which is none of "
                                    "the --hash values given for {}",
                                    file.filename, file.url, *index_hash, p.name),
                        "check the requirements file; nothing was downloaded");
    } else if (allowed.size() == 1) {
        file.hashes["sha256"] = allowed.front().substr(7);
    }
    return file;
}

bool hash_mode(const PlanOptions& options) {
    return options.require_hashes || !options.hashes.empty();
}

// Downloads (through the cache) and unpacks the wheels of a plan; sdists
// are built (once, cached) into wheels first.
// Unpacks (and checks) the downloaded wheels side by side: each one is
// unpacked once into the cache, whichever process gets there first.
std::vector<install::UnpackedWheel> unpack_all(const ProvisionContext& context,
                                               const resolve::IndexSource& source,
                                               const std::vector<PlannedPackage>& packages,
                                               const std::vector<stdfs::path>& paths,
                                               const std::vector<std::string>& hashes) {
    std::vector<std::optional<install::UnpackedWheel>> unpacked(paths.size());
    std::mutex told;
    std::size_t done = 0;
    // A wheel the index gave a hash for was checked against it on download.
    const auto one = [&](std::size_t i) {
        auto wheel = install::unpack_wheel(context.home, paths[i], hashes[i]);
        check_consistency(source, packages[i], wheel);
        unpacked[i] = std::move(wheel);
        const std::lock_guard lock(told);  // one count, one report at a time
        ++done;
        if (context.progress)
            context.progress({ProvisionStep::Kind::unpacking,
                              packages[i].name + " " + packages[i].version, done, paths.size(),
                              false});
    };
    if (paths.size() <= 1) {
        for (std::size_t i = 0; i < paths.size(); ++i)
            one(i);
    } else {
        ThreadPool pool(std::min<std::size_t>(paths.size(), 4));
        std::vector<std::future<void>> jobs;
        for (std::size_t i = 0; i < paths.size(); ++i)
            jobs.push_back(pool.submit([&, i] { one(i); }));
        std::exception_ptr first;
        for (auto& job : jobs) {
            try {
                job.get();
            } catch (...) {
                if (!first)
                    first = std::current_exception();
            }
        }
        if (first)
            std::rethrow_exception(first);
    }
    std::vector<install::UnpackedWheel> out;
    out.reserve(unpacked.size());
    for (auto& u : unpacked)
        out.push_back(std::move(*u));
    return out;
}

std::vector<install::UnpackedWheel> fetch(const ProvisionContext& context,
                                          resolve::IndexSource& source,
                                          const std::vector<PlannedPackage>& packages,
                                          const PlanOptions& options) {
    const auto& build = options.build;
    std::vector<DistFile> wheels;
    std::vector<std::size_t> wheel_index;
    std::vector<stdfs::path> paths(packages.size());
    std::vector<std::string> hashes(packages.size());
    for (std::size_t i = 0; i < packages.size(); ++i) {
        auto file = source.file(packages[i].name, *standards::Version::parse(packages[i].version));
        if (hash_mode(options))
            file = with_allowed_hash(packages[i], file, options);
        if (hash_mode(options) && !file.is_wheel() && !file.sha256())
            throw Error(ErrorCode::integrity,
                        fmt::format("hash-checking mode: {} {} would be built from {}, whose hash "
                                    "cannot be checked",
                                    packages[i].name, packages[i].version, file.filename),
                        "give exactly one --hash for it, or use a version with a wheel");
        if (file.is_wheel()) {
            wheels.push_back(file);
            wheel_index.push_back(i);
            hashes[i] = file.sha256().value_or("");
        } else {
            paths[i] = built_wheel(context, file, build);
        }
    }
    std::vector<stdfs::path> fetched;
    try {
        fetched = context.index.fetch_wheels(wheels);
    } catch (const Error& e) {
        if (!hash_mode(options) || e.code() != ErrorCode::integrity)
            throw;
        throw Error(ErrorCode::integrity,
                    fmt::format("hash-checking mode: a download is none of its --hash values: {}",
                                e.what()),
                    "check the --hash lines of the requirements file; nothing was installed");
    }
    for (std::size_t k = 0; k < fetched.size(); ++k) {
        paths[wheel_index[k]] = fetched[k];
        if (hash_mode(options) && hashes[wheel_index[k]].empty()) {
            const auto& p = packages[wheel_index[k]];
            const auto got = "sha256:" + sha256_file(fetched[k]);
            const auto& allowed = options.hashes.at(p.name);
            if (std::find(allowed.begin(), allowed.end(), got) == allowed.end())
                throw Error(ErrorCode::integrity,
                            fmt::format("hash-checking mode: {} {} downloaded with {}, which is "
                                        "none of its --hash values",
                                        p.name, p.version, got),
                            "check the requirements file; nothing was installed");
            hashes[wheel_index[k]] = got.substr(7);
        }
    }
    return unpack_all(context, source, packages, paths, hashes);
}

}  // namespace

ReportedStep::ReportedStep(const ProvisionSink& sink, ProvisionStep::Kind kind, std::string subject)
    : sink_(sink), kind_(kind), subject_(std::move(subject)) {
    if (sink_)
        sink_({kind_, subject_, 0, 0, false});
}

ReportedStep::~ReportedStep() {
    if (sink_)
        sink_({kind_, subject_, 0, 0, true});
}

std::filesystem::path site_packages(const ProvisionContext& context) {
    return install::InstallTarget::venv(context.env_root, x_y(context.interpreter)).purelib;
}

std::vector<PlannedPackage> plan_install(const ProvisionContext& context,
                                         const std::vector<std::string>& requirements,
                                         const PlanOptions& options) {
    (void)install::choose_link_mode(options.link_mode, context.home);  // a bad value fails here too
    const auto cache = use_cache(context.home);
    auto source = make_source(context, options.build);
    return resolve_for(context, requirements, options, source).packages;
}

std::optional<LocalPin> find_local_pin(const ProvisionContext& context,
                                       const std::string& requirement) {
    auto parsed = standards::Requirement::parse(requirement);
    if (!parsed || !parsed->extras.empty())
        return std::nullopt;
    const auto text = parsed->specifier.to_string();
    if (!text.starts_with("==") || text.find_first_of(",*") != std::string::npos)
        return std::nullopt;
    const auto version = standards::Version::parse(text.substr(2));
    if (!version)
        return std::nullopt;
    const auto name = parsed->normalized_name();
    for (const auto& d : install::list_installed(site_packages(context)))
        if (d.name == name) {
            const auto installed = standards::Version::parse(d.version);
            if (installed && *installed == *version)
                return LocalPin{true, std::nullopt};
        }
    if (auto found = BubbleStore(context.home)
                         .find(context.interpreter.env_key(), name, version->to_string()))
        return LocalPin{false, std::move(found)};
    return std::nullopt;
}

namespace {

// Installs the fetched and verified wheels of `packages` into a bubble's
// staging root (the bubble of `name`==`version`).
BubbleBuilder bubble_builder(const ProvisionContext& context, resolve::IndexSource& source,
                             const std::vector<PlannedPackage>& packages, const std::string& name,
                             const std::string& version, const PlanOptions& options) {
    const auto link_mode = install::choose_link_mode(options.link_mode, context.home);
    return
        [&context, &source, &packages, name, version, options, link_mode](const stdfs::path& root) {
            const ReportedStep step(context.progress, ProvisionStep::Kind::bubble,
                                    name + "==" + version);
            std::vector<Distribution> dists;
            const auto target = install::InstallTarget::bubble(
                root, context.env_root / "bin" / "python", x_y(context.interpreter));
            for (const auto& wheel : fetch(context, source, packages, options)) {
                const auto installed = install::install_wheel(
                    wheel, target, {wheel.name == name, std::nullopt, link_mode});
                dists.push_back({standards::normalize_name(wheel.name), wheel.version,
                                 wheel.top_level, installed.files.size(), wheel.sha256});
            }
            return dists;
        };
}

}  // namespace

EnsureResult ensure_bubble(const ProvisionContext& context, const std::string& requirement,
                           const PlanOptions& options) {
    const auto cache = use_cache(context.home);
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
    return store.ensure(
        spec, bubble_builder(context, source, resolved.packages, name, top->version, options));
}

BubbleInfo repair_bubble(const ProvisionContext& context, const BubbleInfo& bubble) {
    const auto cache = use_cache(context.home);
    auto source = make_source(context, {});
    // Its closure as it is: every distribution pinned to its version.
    std::vector<std::string> pins;
    for (const auto& d : bubble.distributions)
        pins.push_back(fmt::format("{}=={}", d.name, d.version));
    if (pins.empty())
        pins.push_back(fmt::format("{}=={}", bubble.name, bubble.version));
    PlanOptions options;
    options.prefer_installed = false;
    options.lowest = bubble.variant == "lowest";
    const auto resolved = resolve_for(context, pins, options, source);
    return BubbleStore(context.home)
        .replace(bubble, bubble_builder(context, source, resolved.packages, bubble.name,
                                        bubble.version, options));
}

namespace {

// Name -> version of what is installed now, for the names of a plan.
std::map<std::string, std::string> installed_versions(const stdfs::path& site) {
    std::map<std::string, std::string> out;
    for (const auto& d : install::list_installed(site))
        out[d.name] = d.version;
    return out;
}

// Whether the env still holds what a plan was made against.
bool plan_still_holds(const stdfs::path& site, const std::vector<PlannedPackage>& packages) {
    const auto now = installed_versions(site);
    for (const auto& p : packages) {
        const auto it = now.find(p.name);
        const std::optional<std::string> have =
            it == now.end() ? std::nullopt : std::optional<std::string>(it->second);
        if (have != p.installed)
            return false;
    }
    return true;
}

// What installing `names` replaces: their installed dist-info, and any
// dist-info without RECORD an interrupted install left.
std::vector<install::InstalledDist> replaced_by(const stdfs::path& site,
                                                const std::vector<std::string>& names) {
    std::vector<install::InstalledDist> out;
    for (auto list : {install::list_installed(site), install::list_phantoms(site)})
        for (auto& d : list)
            if (std::find(names.begin(), names.end(), d.name) != names.end())
                out.push_back(std::move(d));
    return out;
}

void byte_compile(const ProvisionContext& context, const install::InstalledDistribution& dist) {
    // The target interpreter compiles its own byte code, as pip does.
    ProcessOptions compile;
    compile.argv = {(context.env_root / "bin" / "python").string(), "-m", "compileall", "-q"};
    for (const auto& f : dist.files)
        if (f.extension() == ".py" && f.native().starts_with(site_packages(context).native()))
            compile.argv.push_back(f.string());
    compile.timeout = std::chrono::minutes(5);
    if (compile.argv.size() > 4 && !run_process(compile).ok())
        logger().warn("byte-compiling {} reported errors", dist.name);
}

// Plans made outside the lock that others invalidate are made again; after
// this many, the plan is made under the lock.
constexpr int optimistic_attempts = 3;

}  // namespace

InstallOutcome install_requirements(const ProvisionContext& context,
                                    const std::vector<std::string>& requirements,
                                    Placement placement, const PlanOptions& options) {
    const auto link_mode = install::choose_link_mode(options.link_mode, context.home);
    const auto cache = use_cache(context.home);
    auto source = make_source(context, options.build);
    const auto site = site_packages(context);
    const auto target = install::InstallTarget::venv(context.env_root, x_y(context.interpreter));
    for (int attempt = 0;; ++attempt) {
        std::optional<install::EnvLock> lock;
        if (attempt >= optimistic_attempts)
            lock.emplace(install::EnvLock::acquire(context.env_root));
        const auto resolved = resolve_for(context, requirements, options, source);
        InstallOutcome outcome;
        outcome.resolved = resolved.packages;
        std::vector<PlannedPackage> changes;
        for (const auto& p : resolved.packages)
            if (p.installed && !same_version(*p.installed, p.version))
                changes.push_back(p);
        if (placement == Placement::bubble ||
            (placement == Placement::stable_main && !changes.empty())) {
            lock.reset();  // bubbles are built in staging, not in the env
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
        if (to_install.empty())
            return outcome;
        // Everything that can fail before the env is touched: download,
        // hashes, unpacking and checks, builds.
        const auto wheels = fetch(context, source, to_install, options);
        if (!lock)
            lock.emplace(install::EnvLock::acquire(context.env_root));
        if (!plan_still_holds(site, resolved.packages)) {
            logger().info("{} changed while this install was planned; planning again",
                          context.env_root.string());
            continue;
        }
        std::vector<std::string> names;
        install::EnvChange change;
        change.library = site;
        for (std::size_t i = 0; i < wheels.size(); ++i) {
            names.push_back(to_install[i].name);
            change.install.push_back(
                {&wheels[i], {to_install[i].requested, std::nullopt, link_mode}});
        }
        change.remove = replaced_by(site, names);
        const auto applied = install::apply_change(*lock, target, change);
        outcome.installed = to_install;
        if (options.compile)
            for (const auto& dist : applied.installed)
                byte_compile(context, dist);
        return outcome;
    }
}

void check_requires_python(const ProvisionContext& context, const standards::CoreMetadata& metadata,
                           const std::string& what) {
    const auto& v = context.interpreter.version;
    const auto python =
        standards::Version::parse(fmt::format("{}.{}.{}", v.major, v.minor, v.micro));
    if (metadata.requires_python && python && !metadata.requires_python->contains(*python, true))
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("{} requires Python {}; the target is {}", what,
                        metadata.requires_python->to_string(), context.interpreter.describe()),
            "choose another interpreter with --python or --env, or another version");
}

std::vector<PlannedPackage> install_wheel_files(const ProvisionContext& context,
                                                const std::vector<stdfs::path>& wheels,
                                                const std::vector<std::string>& direct_urls,
                                                const std::string& link_mode) {
    const auto cache = use_cache(context.home);
    const auto mode = install::choose_link_mode(link_mode, context.home);
    std::vector<install::UnpackedWheel> unpacked;
    for (const auto& path : wheels) {
        if (!stdfs::exists(path))
            throw Error(ErrorCode::not_found,
                        fmt::format("wheel file '{}' does not exist", path.string()));
        unpacked.push_back(install::unpack_wheel(context.home, path));
    }
    const auto site = site_packages(context);
    const auto target = install::InstallTarget::venv(context.env_root, x_y(context.interpreter));
    install::EnvChange change;
    change.library = site;
    std::vector<std::string> names;
    std::vector<PlannedPackage> out;
    for (std::size_t i = 0; i < unpacked.size(); ++i) {
        const auto& u = unpacked[i];
        names.push_back(standards::normalize_name(u.name));
        change.install.push_back(
            {&u,
             {true,
              i < direct_urls.size() ? direct_urls[i]
                                     : install::direct_url_for_file(wheels[i], u.sha256),
              mode}});
        PlannedPackage done;
        done.name = names.back();
        done.version = u.version;
        done.wheel = u.filename;
        done.wheel_url = "file://" + stdfs::absolute(wheels[i]).string();
        done.requested = true;
        done.direct = true;
        done.sha256 = u.sha256;
        out.push_back(std::move(done));
    }
    const auto lock = install::EnvLock::acquire(context.env_root);
    // An older copy of the same project goes in the same change, as pip
    // replaces it.
    change.remove = replaced_by(site, names);
    install::apply_change(lock, target, change);
    return out;
}

PlannedPackage install_wheel_file(const ProvisionContext& context, const stdfs::path& wheel,
                                  const std::string& direct_url, const std::string& link_mode) {
    return install_wheel_files(context, {wheel}, {direct_url}, link_mode).front();
}

std::vector<PlannedPackage> install_checked_wheels(const ProvisionContext& context,
                                                   const std::vector<stdfs::path>& wheels,
                                                   const PlanOptions& options,
                                                   std::vector<PlannedPackage>* dependencies) {
    const standards::TagRanker ranker(
        standards::supported_tags(resolve::interpreter_facts(context.interpreter)));
    const auto env = resolve::marker_environment(context.interpreter);
    std::vector<install::UnpackedWheel> unpacked;
    std::vector<std::string> requirements;
    for (const auto& path : wheels) {
        if (!stdfs::exists(path))
            throw Error(ErrorCode::not_found,
                        fmt::format("wheel file '{}' does not exist", path.string()));
        const auto name = standards::WheelName::parse(path.filename().string());
        if (!name)
            throw Error(ErrorCode::invalid_input, fmt::format("'{}' is not a wheel file name: {}",
                                                              path.string(), name.error().what()));
        if (!ranker.best_rank(name->tags))
            throw Error(ErrorCode::invalid_input,
                        fmt::format("'{}' is not for {}: none of its tags is supported",
                                    path.filename().string(), context.interpreter.describe()),
                        "use a wheel built for this interpreter, or choose another with --python "
                        "or --env");
        unpacked.push_back(install::unpack_wheel(context.home, path));
        const auto metadata = standards::CoreMetadata::parse(
            fs::read_file(unpacked.back().root / unpacked.back().dist_info / "METADATA"));
        if (!metadata)
            throw Error(ErrorCode::integrity, fmt::format("the METADATA of '{}' does not parse: {}",
                                                          path.string(), metadata.error().what()));
        check_requires_python(context, *metadata, "'" + path.filename().string() + "'");
        for (const auto& r : metadata->requirements_for(env))
            requirements.push_back(r.to_string());
    }
    if (!options.no_deps && !requirements.empty()) {
        // The wheels themselves are what is asked for: their own names are
        // theirs, not the index's.
        std::erase_if(requirements, [&](const std::string& text) {
            const auto r = standards::Requirement::parse(text);
            return r && std::any_of(unpacked.begin(), unpacked.end(), [&](const auto& u) {
                       return standards::normalize_name(u.name) == r->normalized_name();
                   });
        });
        if (!requirements.empty()) {
            auto outcome = install_requirements(context, requirements, Placement::main, options);
            if (dependencies)
                *dependencies = outcome.installed;
        }
    }
    return install_wheel_files(context, wheels, {}, options.link_mode);
}

UninstallOutcome uninstall_packages(const ProvisionContext& context,
                                    const std::vector<std::string>& names) {
    const auto site = site_packages(context);
    const auto target = install::InstallTarget::venv(context.env_root, x_y(context.interpreter));
    const auto lock = install::EnvLock::acquire(context.env_root);
    install::EnvChange change;
    change.library = site;
    UninstallOutcome out;
    for (const auto& name : names) {
        const auto wanted = standards::normalize_name(name);
        auto found = replaced_by(site, {wanted});
        if (found.empty())
            throw Error(ErrorCode::not_found,
                        fmt::format("'{}' is not installed in {}", name, context.env_root.string()),
                        "'omni list' shows what is; a bubble goes with 'omni bubble remove "
                        "NAME==VERSION'");
        for (auto& d : found)
            if (std::none_of(change.remove.begin(), change.remove.end(),
                             [&](const auto& r) { return r.dist_info == d.dist_info; }))
                change.remove.push_back(std::move(d));
    }
    const auto applied = install::apply_change(lock, target, change);
    out.removed = applied.removed;
    out.refused = applied.refused;
    return out;
}

RepairOutcome repair_env(const stdfs::path& env_root, const stdfs::path& library,
                         const ProvisionContext* reinstall_with) {
    RepairOutcome out;
    out.recovered = install::recover_if_pending(env_root);
    const auto x_y_of = library.parent_path().filename().string().substr(6);  // pythonX.Y
    if (auto phantoms = install::list_phantoms(library); !phantoms.empty()) {
        const auto lock = install::EnvLock::acquire(env_root);
        install::EnvChange change;
        change.library = library;
        change.remove = install::list_phantoms(library);  // again, under the lock
        out.phantoms_removed =
            install::apply_change(lock, install::InstallTarget::venv(env_root, x_y_of), change)
                .removed;
    }
    const auto report = install::check_env(env_root, library, true);
    for (const auto& damaged : report.damaged) {
        const auto pin = damaged.dist.name + "==" + damaged.dist.version;
        if (!reinstall_with) {
            out.not_repaired.push_back(
                fmt::format("{} {}: reinstall it with omni --env {} install --reinstall {}",
                            damaged.dist.name, damaged.dist.version, env_root.string(), pin));
            continue;
        }
        try {
            PlanOptions options;
            options.reinstall = true;
            options.no_deps = true;
            install_requirements(*reinstall_with, {pin}, Placement::main, options);
            out.reinstalled.push_back(damaged.dist.name + " " + damaged.dist.version);
        } catch (const Error& e) {
            out.not_repaired.push_back(
                fmt::format("{} {}: {}", damaged.dist.name, damaged.dist.version, e.what()));
        }
    }
    return out;
}

DirectoryInstall install_into_directory(const ProvisionContext& context,
                                        const std::vector<std::string>& requirements,
                                        const stdfs::path& root, DirectoryLayout layout,
                                        bool replace) {
    const auto cache = use_cache(context.home);
    PlanOptions options;
    options.prefer_installed = false;
    // A source without sdist metadata offers wheels only.
    resolve::IndexSource source(context.index, context.interpreter);
    auto resolved = resolve_for(context, requirements, options, source);
    const auto x_y_of = x_y(context.interpreter);
    auto target = layout == DirectoryLayout::flat
                      ? install::InstallTarget::bubble(root, context.interpreter.path, x_y_of)
                      : install::InstallTarget::venv(root, x_y_of);
    // Scripts under a prefix run the interpreter itself, as pip writes them.
    target.python = context.interpreter.path;
    const auto library = target.purelib;
    const auto plan = [&] {
        // What the directory has already stays unless asked to replace it
        // (pip's --upgrade with --target).
        DirectoryInstall out;
        const auto have = install::list_installed(library);
        for (const auto& p : resolved.packages) {
            const auto there = std::find_if(have.begin(), have.end(),
                                            [&](const auto& d) { return d.name == p.name; });
            if (there == have.end() || (replace && !same_version(there->version, p.version)))
                out.installed.push_back(p);
            else
                out.kept.push_back(p.name + " " + there->version);
        }
        return out;
    };
    auto out = plan();
    if (out.installed.empty())
        return out;
    // Everything that can fail happens before the directory is touched.
    const auto wheels = fetch(context, source, out.installed, options);
    stdfs::create_directories(root);
    const auto lock = install::EnvLock::acquire(root);
    const auto again = plan();  // another process may have changed it meanwhile
    install::EnvChange change;
    change.library = library;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < wheels.size(); ++i) {
        const auto& p = out.installed[i];
        if (std::none_of(again.installed.begin(), again.installed.end(),
                         [&](const auto& a) { return a.name == p.name; }))
            continue;
        names.push_back(p.name);
        change.install.push_back(
            {&wheels[i], {p.requested, std::nullopt, install::LinkMode::automatic}});
    }
    if (!change.install.empty()) {
        change.remove = replaced_by(library, names);
        install::apply_change(lock, target, change);
    }
    return again;
}

}  // namespace omni::bubble
