#include "omni/resolve/index_source.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "index/names.hpp"
#include "omni/index/progress.hpp"
#include "omni/index/simple_api.hpp"
#include "omni/standards/metadata.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/sdist_name.hpp"
#include "omni/standards/wheel_name.hpp"
#include "omni/util/edit_distance.hpp"
#include "omni/util/log.hpp"
#include "omni/util/thread_pool.hpp"

namespace omni::resolve {

namespace {

std::optional<std::pair<unsigned, unsigned>> major_minor(std::string_view text) {
    unsigned major = 0, minor = 0;
    const auto dot = text.find('.');
    if (text.empty() || dot == std::string_view::npos)
        return std::nullopt;
    if (std::from_chars(text.data(), text.data() + dot, major).ec != std::errc() ||
        std::from_chars(text.data() + dot + 1, text.data() + text.size(), minor).ec != std::errc())
        return std::nullopt;
    return std::make_pair(major, minor);
}

std::string marker(const python::InterpreterInfo& info, const char* key) {
    const auto it = info.markers.find(key);
    return it == info.markers.end() ? std::string() : it->second;
}

// Projects in the find-links directories whose names are close to `name`.
std::string close_names(const IndexClient& client, std::string_view name) {
    std::set<std::string> close;
    for (const auto& links : client.options().find_links) {
        std::error_code ec;
        if (!std::filesystem::is_directory(links, ec))
            continue;
        for (const auto& file : client.find_links_listing(links).files) {
            const auto project = index_detail::project_of_filename(file.filename);
            if (!project.empty() &&
                edit_distance(project, name) <= std::max<std::size_t>(2, name.size() / 4))
                close.insert(project);
        }
    }
    if (close.empty())
        return "";
    return fmt::format(" (did you mean {}?)", fmt::join(close, ", "));
}

}  // namespace

standards::InterpreterFacts interpreter_facts(const python::InterpreterInfo& info) {
    standards::InterpreterFacts facts;
    facts.implementation = info.implementation == "cpython" ? "cp"
                           : info.implementation == "pypy"  ? "pp"
                                                            : info.implementation;
    facts.major = static_cast<unsigned>(info.version.major);
    facts.minor = static_cast<unsigned>(info.version.minor);
    facts.abiflags = info.abiflags;
    facts.soabi = info.soabi;
    facts.platform = info.platform;
    facts.glibc = major_minor(info.glibc);
    facts.pointer_size = static_cast<unsigned>(info.pointer_bits / 8);
    return facts;
}

standards::MarkerEnvironment marker_environment(const python::InterpreterInfo& info) {
    standards::MarkerEnvironment env;
    env.os_name = marker(info, "os_name");
    env.sys_platform = marker(info, "sys_platform");
    env.platform_machine = marker(info, "platform_machine");
    env.platform_python_implementation = marker(info, "platform_python_implementation");
    env.platform_release = marker(info, "platform_release");
    env.platform_system = marker(info, "platform_system");
    env.platform_version = marker(info, "platform_version");
    env.python_version = marker(info, "python_version");
    env.python_full_version = marker(info, "python_full_version");
    env.implementation_name = marker(info, "implementation_name");
    env.implementation_version = marker(info, "implementation_version");
    return env;
}

namespace {

constexpr std::size_t speculative_threads = 24;
constexpr std::size_t max_speculative = 2000;

bool names(const std::vector<std::string>& list, std::string_view name) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& item) {
        return item == ":all:" || standards::normalize_name(item) == name;
    });
}

// "foo_bar-1.0.tar.gz" -> "1.0" for project "foo-bar"; empty when the name
// does not match.
std::string sdist_version(std::string_view filename, std::string_view project) {
    const auto stem = standards::sdist_stem(filename);
    if (!stem)
        return {};
    for (std::size_t dash = stem->find('-'); dash != std::string_view::npos;
         dash = stem->find('-', dash + 1))
        if (standards::normalize_name(stem->substr(0, dash)) == project)
            return std::string(stem->substr(dash + 1));
    return {};
}

}  // namespace

bool BinaryPolicy::wheels_allowed(std::string_view name) const {
    // A name in --only-binary wins over :all: in --no-binary, as in pip.
    return !names(no_binary, name) ||
           (names(only_binary, name) &&
            std::find(only_binary.begin(), only_binary.end(), ":all:") == only_binary.end());
}

bool BinaryPolicy::sdists_allowed(std::string_view name) const {
    return !names(only_binary, name) ||
           (names(no_binary, name) &&
            std::find(no_binary.begin(), no_binary.end(), ":all:") == no_binary.end());
}

IndexSource::IndexSource(const IndexClient& client, const python::InterpreterInfo& interpreter,
                         BinaryPolicy policy, SdistMetadata sdist_metadata)
    : client_(client),
      ranker_(standards::supported_tags(interpreter_facts(interpreter))),
      markers_(marker_environment(interpreter)),
      policy_(std::move(policy)),
      sdist_metadata_(std::move(sdist_metadata)),
      speculate_(client.options().reaches_network()) {}

IndexSource::~IndexSource() {
    std::unique_ptr<ThreadPool> pool;
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
        pool = std::move(pool_);
    }
    pool.reset();  // queued guesses return at once; running ones end with their transfer
}

const IndexSource::Project& IndexSource::project(std::string_view name) {
    const std::string key(name);
    std::promise<std::shared_ptr<const Project>> promise;
    std::shared_future<std::shared_ptr<const Project>> future;
    bool mine = false;
    {
        std::lock_guard lock(mutex_);
        if (auto it = projects_.find(key); it != projects_.end()) {
            future = it->second;
        } else {
            future = promise.get_future().share();
            projects_.emplace(key, future);
            mine = true;
        }
    }
    if (mine) {
        std::shared_ptr<const Project> loaded;
        try {
            loaded = std::make_shared<const Project>(load_project(name));
        } catch (...) {
            promise.set_exception(std::current_exception());
        }
        if (loaded) {
            promise.set_value(loaded);
            after_page(key, *loaded);
        }
    }
    return *future.get();
}

IndexSource::Project IndexSource::load_project(std::string_view name) {
    const auto page = client_.project_page(name);
    if (page.files.empty()) {
        std::string sources = client_.options().no_index ? "" : client_.options().index_url;
        for (const auto& extra : client_.options().extra_index_urls)
            sources += ", " + extra;
        for (const auto& links : client_.options().find_links)
            sources += (sources.empty() ? "" : ", ") + links;
        throw Error(
            ErrorCode::not_found,
            fmt::format("no project named '{}' in {}{}", name, sources, close_names(client_, name)),
            "check the spelling, or point --index-url / --find-links at an index that has it");
    }
    Project project;
    std::map<standards::Version, std::size_t> best_rank;
    std::map<standards::Version, DistFile> sdists;
    std::size_t incompatible = 0, sdists_refused = 0;
    const bool wheels = policy_.wheels_allowed(name);
    const bool use_sdists = sdist_metadata_ && policy_.sdists_allowed(name);
    for (const auto& file : page.files) {
        if (!file.is_wheel()) {
            const auto text = sdist_version(file.filename, name);
            const auto version = standards::Version::parse(text);
            if (text.empty() || !version)
                continue;
            if (use_sdists)
                sdists.try_emplace(*version, file);
            else
                ++sdists_refused;
            continue;
        }
        if (!wheels)
            continue;
        const auto parsed = standards::WheelName::parse(file.filename);
        if (!parsed) {
            logger().debug("skipping {}: {}", file.filename, parsed.error().what());
            continue;
        }
        const auto rank = ranker_.best_rank(parsed->tags);
        if (!rank) {
            ++incompatible;
            continue;
        }
        auto [it, fresh] = best_rank.try_emplace(parsed->version, *rank);
        if (fresh || *rank < it->second) {
            it->second = *rank;
            project.files[parsed->version] = file;
        }
    }
    for (auto& [version, sdist] : sdists)
        project.files.try_emplace(version, std::move(sdist));  // a usable wheel wins
    if (project.files.empty() && sdists_refused > 0 && sdist_metadata_)
        throw Error(ErrorCode::not_found,
                    fmt::format("project '{}' offers only source distributions here, and "
                                "--only-binary excludes them",
                                name),
                    "allow building it: drop it from --only-binary");
    if (project.files.empty() && !wheels && sdist_metadata_)
        throw Error(
            ErrorCode::not_found,
            fmt::format("project '{}' has no sdist, and --no-binary excludes its wheels", name),
            "drop it from --no-binary");
    if (project.files.empty() && incompatible > 0) {
        std::string tags;
        for (std::size_t i = 0; i < 3 && i < ranker_.supported().size(); ++i)
            tags += (i ? ", " : "") + ranker_.supported()[i].to_string();
        throw Error(
            ErrorCode::not_found,
            fmt::format(
                "project '{}' has no wheel this interpreter can install ({} wheels for other "
                "platforms or Pythons; this one accepts {}, ...)",
                name, incompatible, tags),
            "choose another interpreter with --python, or a version with a matching wheel");
    }
    return project;
}

std::vector<Candidate> IndexSource::versions(std::string_view name) {
    auto& p = project(name);
    std::vector<Candidate> out;
    for (const auto& [version, file] : p.files) {
        Candidate c{version, file.yanked, std::nullopt};
        if (file.requires_python) {
            auto spec = standards::SpecifierSet::parse(*file.requires_python);
            if (spec)
                c.requires_python = *spec;
        }
        out.push_back(std::move(c));
    }
    return out;
}

const DistFile& IndexSource::file(std::string_view name, const standards::Version& version) const {
    std::shared_future<std::shared_ptr<const Project>> future;
    {
        std::lock_guard lock(mutex_);
        future = projects_.at(std::string(name));
    }
    return future.get()->files.at(version);
}

std::shared_ptr<const standards::CoreMetadata> IndexSource::used_metadata(
    std::string_view name, const standards::Version& version) const {
    const auto& chosen = file(name, version);
    std::shared_future<Metadata> future;
    {
        std::lock_guard lock(mutex_);
        const auto it = metadata_.find(chosen.url);
        if (it == metadata_.end())
            return nullptr;
        future = it->second;
    }
    try {
        return future.get();
    } catch (const std::exception&) {
        return nullptr;
    }
}

IndexSource::Metadata IndexSource::load_metadata(const DistFile& chosen) {
    auto parsed = standards::CoreMetadata::parse(chosen.is_wheel() ? client_.fetch_metadata(chosen)
                                                                   : sdist_metadata_(chosen));
    if (!parsed)
        throw Error(ErrorCode::integrity, fmt::format("the METADATA of '{}' does not parse: {}",
                                                      chosen.filename, parsed.error().what()));
    if (const auto& meter = client_.options().transport.meter)
        meter->package_read();
    return std::make_shared<const standards::CoreMetadata>(std::move(*parsed));
}

const standards::CoreMetadata& IndexSource::metadata(const std::string& name,
                                                     const standards::Version& version) {
    const DistFile& chosen = file(name, version);
    std::promise<Metadata> promise;
    std::shared_future<Metadata> future;
    bool mine = false;
    {
        std::lock_guard lock(mutex_);
        if (auto it = metadata_.find(chosen.url); it != metadata_.end()) {
            future = it->second;
        } else {
            future = promise.get_future().share();
            metadata_.emplace(chosen.url, future);
            mine = true;
        }
    }
    if (mine) {
        Metadata loaded;
        try {
            loaded = load_metadata(chosen);
        } catch (...) {
            promise.set_exception(std::current_exception());
        }
        if (loaded) {
            promise.set_value(loaded);
            after_metadata(*loaded);
        }
    }
    return *future.get();
}

ThreadPool* IndexSource::guess_pool_locked() {
    // Guesses pay only for network latency: local sources read as fast
    // as the resolver asks, so they get no threads at all.
    if (!speculate_ || closing_)
        return nullptr;
    if (!pool_)
        pool_ = std::make_unique<ThreadPool>(speculative_threads);
    return pool_.get();
}

void IndexSource::warm_page(const std::string& name) {
    ThreadPool* pool = nullptr;
    {
        std::lock_guard lock(mutex_);
        if (projects_.contains(name) || speculative_ >= max_speculative)
            return;
        pool = guess_pool_locked();
        if (!pool)
            return;
        ++speculative_;
    }
    pool->submit([this, name] {
        if (closing_)
            return;
        try {
            (void)project(name);
        } catch (const std::exception& e) {
            logger().debug("prefetch of the page of {} failed: {}", name, e.what());
        }
    });
}

void IndexSource::warm_metadata(const std::string& name, const standards::Version& version) {
    ThreadPool* pool = nullptr;
    {
        std::lock_guard lock(mutex_);
        if (speculative_ >= max_speculative)
            return;
        pool = guess_pool_locked();
        if (!pool)
            return;
        ++speculative_;
    }
    pool->submit([this, name, version] {
        if (closing_)
            return;
        try {
            // An sdist's metadata may need a build: never on a guess.
            if (!file(name, version).is_wheel())
                return;
            (void)metadata(name, version);
        } catch (const std::exception& e) {
            logger().debug("prefetch of {} {} failed: {}", name, version.to_string(), e.what());
        }
    });
}

void IndexSource::after_page(const std::string& name, const Project& project) {
    // The resolver's likeliest choice: the newest final release, else the newest.
    const standards::Version* newest = nullptr;
    for (auto it = project.files.rbegin(); it != project.files.rend(); ++it) {
        if (!it->first.is_prerelease() && !it->second.yanked) {
            newest = &it->first;
            break;
        }
    }
    if (newest == nullptr && !project.files.empty())
        newest = &project.files.rbegin()->first;
    if (newest != nullptr && project.files.at(*newest).is_wheel())
        warm_metadata(name, *newest);
}

void IndexSource::after_metadata(const standards::CoreMetadata& metadata) {
    for (const auto& r : metadata.requirements_for(markers_))
        if (r.url.empty())
            warm_page(r.normalized_name());
}

std::optional<standards::SpecifierSet> IndexSource::metadata_requires_python(
    std::string_view name, const standards::Version& version) {
    if (file(name, version).requires_python)
        return std::nullopt;  // the index said it; the candidate carries it
    return metadata(std::string(name), version).requires_python;
}

std::vector<Dependency> IndexSource::dependencies(std::string_view name,
                                                  const standards::Version& version,
                                                  std::string_view extra) {
    const auto& meta = metadata(std::string(name), version);
    const auto requirements = extra.empty() ? meta.requirements_for(markers_)
                                            : meta.requirements_for(markers_, {std::string(extra)});
    std::vector<Dependency> out;
    for (const auto& r : requirements) {
        if (!r.url.empty())
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{} {} depends on '{}' by URL, which omni does not install yet",
                                    name, version.to_string(), r.to_string()));
        Dependency dep{r.normalized_name(), {}, r.specifier};
        for (const auto& e : r.extras)
            dep.extras.push_back(standards::normalize_name(e));
        out.push_back(std::move(dep));
    }
    return out;
}

void IndexSource::prefetch(std::span<const PackageVersion> likely) {
    for (const auto& pv : likely)
        warm_metadata(pv.name, pv.version);
}

void IndexSource::prefetch_projects(std::span<const std::string> names) {
    for (const auto& name : names)
        warm_page(name);
}

}  // namespace omni::resolve
