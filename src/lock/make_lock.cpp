#include "omni/lock/make_lock.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <set>

#include "omni/bubble/store.hpp"
#include "omni/index/url.hpp"
#include "omni/install/installed.hpp"
#include "omni/standards/name.hpp"
#include "omni/util/hash.hpp"

namespace omni::lock {

namespace stdfs = std::filesystem;

namespace {

std::string python_x_y(const python::InterpreterInfo& info) {
    return fmt::format("{}.{}", info.version.major, info.version.minor);
}

// The index a project page came from: the page URL without its project segment.
std::string index_of(const std::string& page_url) {
    if (page_url.empty() || is_file_url(page_url) || is_plain_path(page_url))
        return {};
    auto url = page_url;
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    const auto slash = url.rfind('/');
    if (slash == std::string::npos || slash < url.find("://") + 3)
        return {};
    return without_userinfo(url.substr(0, slash + 1));
}

LockedPackage locked_package(const bubble::ProvisionContext& context,
                             const bubble::PlannedPackage& planned) {
    const auto page = context.index.project_page(planned.name);
    const auto it = std::find_if(page.files.begin(), page.files.end(),
                                 [&](const DistFile& f) { return f.filename == planned.wheel; });
    if (it == page.files.end())
        throw Error(ErrorCode::not_found,
                    fmt::format("{} {}: the index no longer lists {}", planned.name,
                                planned.version, planned.wheel));
    const auto& file = *it;
    // The bytes a sync will check: fetched (or found) in the cache and hashed here.
    const auto cached = context.index.fetch_wheel(file);
    LockedFile locked;
    locked.name = file.filename;
    if (is_file_url(file.url))
        locked.path = file_url_to_path(file.url).string();
    else
        locked.url = without_userinfo(file.url);
    locked.size = stdfs::file_size(cached);
    locked.hashes["sha256"] = sha256_file(cached);
    LockedPackage p;
    p.name = planned.name;
    p.version = planned.version;
    p.requires_python = file.requires_python.value_or("");
    if (locked.url.size())
        p.index = index_of(page.url);
    if (file.is_wheel())
        p.wheels.push_back(std::move(locked));
    else
        p.sdist = std::move(locked);
    return p;
}

std::vector<LockedPackage> lock_packages(const bubble::ProvisionContext& context,
                                         const std::vector<std::string>& requirements,
                                         bool prefer_installed) {
    bubble::PlanOptions options;
    options.prefer_installed = prefer_installed;
    std::vector<LockedPackage> out;
    for (const auto& planned : bubble::plan_install(context, requirements, options))
        out.push_back(locked_package(context, planned));
    return out;
}

struct Locked {
    std::vector<LockedPackage> packages;
    std::vector<LockedBubble> bubbles;
};

Locked lock_one(const bubble::ProvisionContext& context, const LockRequest& request) {
    Locked out;
    if (!request.requirements.empty()) {
        out.packages = lock_packages(context, request.requirements, false);
        return out;
    }
    std::vector<std::string> pins;
    for (const auto& d : install::list_installed(bubble::site_packages(context)))
        pins.push_back(d.name + "==" + d.version);
    if (!pins.empty())
        out.packages = lock_packages(context, pins, true);
    const auto env_key = context.interpreter.env_key();
    for (const auto& b : bubble::BubbleStore(context.home).list(env_key)) {
        std::vector<std::string> closure;
        for (const auto& d : b.distributions)
            closure.push_back(d.name + "==" + d.version);
        out.bubbles.push_back({env_key, b.requirement, b.name, b.version, b.variant,
                               lock_packages(context, closure, false)});
    }
    return out;
}

std::string environment_marker(const python::InterpreterInfo& info) {
    const auto get = [&](const std::string& key) {
        const auto it = info.markers.find(key);
        return it == info.markers.end() ? std::string() : it->second;
    };
    return fmt::format(
        "implementation_name == '{}' and python_version == '{}' and "
        "sys_platform == '{}'",
        get("implementation_name").empty() ? info.implementation : get("implementation_name"),
        python_x_y(info), get("sys_platform").empty() ? "linux" : get("sys_platform"));
}

// Package entries of several interpreters as one list: entries equal but for
// their files are one entry with every file; an entry some interpreters lack
// is marked with the python_version of those that have it.
std::vector<LockedPackage> merge(const std::vector<std::vector<LockedPackage>>& per_python,
                                 const std::vector<std::string>& versions) {
    struct Entry {
        LockedPackage package;
        std::set<std::size_t> pythons;
    };
    std::vector<Entry> entries;
    for (std::size_t i = 0; i < per_python.size(); ++i)
        for (const auto& p : per_python[i]) {
            auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) {
                return e.package.name == p.name && e.package.version == p.version &&
                       e.package.index == p.index &&
                       e.package.requires_python == p.requires_python &&
                       e.package.sdist.has_value() == p.sdist.has_value();
            });
            if (it == entries.end()) {
                entries.push_back({p, {i}});
                continue;
            }
            it->pythons.insert(i);
            for (const auto& w : p.wheels)
                if (std::none_of(it->package.wheels.begin(), it->package.wheels.end(),
                                 [&](const LockedFile& f) { return f.name == w.name; }))
                    it->package.wheels.push_back(w);
        }
    std::set<std::string> all(versions.begin(), versions.end());
    std::vector<LockedPackage> out;
    for (auto& e : entries) {
        std::set<std::string> have;
        for (auto i : e.pythons)
            have.insert(versions[i]);
        if (have != all) {
            std::vector<std::string> terms;
            for (const auto& v : have)
                terms.push_back(fmt::format("python_version == '{}'", v));
            e.package.marker = fmt::format("{}", fmt::join(terms, " or "));
        }
        out.push_back(std::move(e.package));
    }
    return out;
}

}  // namespace

PyLock make_lock(const std::vector<bubble::ProvisionContext>& contexts,
                 const LockRequest& request) {
    if (contexts.empty())
        throw Error(ErrorCode::invalid_input, "no interpreter to lock for");
    PyLock lock;
    std::vector<std::vector<LockedPackage>> per_python;
    std::vector<std::string> versions;
    std::set<std::string> environments;
    const python::InterpreterInfo* lowest = nullptr;
    for (const auto& context : contexts) {
        auto locked = lock_one(context, request);
        per_python.push_back(std::move(locked.packages));
        versions.push_back(python_x_y(context.interpreter));
        environments.insert(environment_marker(context.interpreter));
        for (auto& b : locked.bubbles)
            lock.bubbles.push_back(std::move(b));
        if (!lowest || context.interpreter.version < lowest->version)
            lowest = &context.interpreter;
    }
    lock.packages = merge(per_python, versions);
    lock.environments.assign(environments.begin(), environments.end());
    lock.requires_python = ">=" + python_x_y(*lowest);
    return lock;
}

}  // namespace omni::lock
