#include "omni/resolve/memory_source.hpp"

#include <fmt/format.h>

#include "omni/standards/name.hpp"
#include "omni/util/error.hpp"

namespace omni::resolve {

Dependency parse_simple_requirement(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) ||
                               text[i] == '-' || text[i] == '_' || text[i] == '.'))
        ++i;
    if (i == 0)
        throw parse_error("requirement", text, 0, "expected a project name");
    Dependency dep;
    dep.name = standards::normalize_name(text.substr(0, i));
    if (i < text.size() && text[i] == '[') {
        const auto close = text.find(']', i);
        if (close == std::string_view::npos)
            throw parse_error("requirement", text, i, "unclosed '['");
        std::string_view extras = text.substr(i + 1, close - i - 1);
        while (!extras.empty()) {
            const auto comma = extras.find(',');
            auto extra = extras.substr(0, comma);
            while (!extra.empty() && extra.front() == ' ')
                extra.remove_prefix(1);
            while (!extra.empty() && extra.back() == ' ')
                extra.remove_suffix(1);
            if (!extra.empty())
                dep.extras.push_back(standards::normalize_name(extra));
            if (comma == std::string_view::npos)
                break;
            extras.remove_prefix(comma + 1);
        }
        i = close + 1;
    }
    auto spec = standards::SpecifierSet::parse(text.substr(i));
    if (!spec)
        throw spec.error();
    dep.specifier = *spec;
    return dep;
}

void MemorySource::add(const std::string& name, MemoryRelease release) {
    projects_[standards::normalize_name(name)].push_back(std::move(release));
}

void MemorySource::add(const std::string& name, const std::string& version,
                       const std::vector<std::string>& dependencies) {
    MemoryRelease release;
    release.version = version;
    for (const auto& d : dependencies)
        release.dependencies.push_back({d, "", ""});
    add(name, std::move(release));
}

std::vector<Candidate> MemorySource::versions(std::string_view name) {
    ++version_queries_;
    const auto it = projects_.find(std::string(name));
    if (it == projects_.end())
        throw Error(ErrorCode::not_found, fmt::format("no project named '{}'", name));
    std::vector<Candidate> out;
    for (const auto& r : it->second) {
        auto version = standards::Version::parse(r.version);
        if (!version)
            throw version.error();
        Candidate c{*version, r.yanked, std::nullopt};
        if (!r.requires_python.empty()) {
            auto rp = standards::SpecifierSet::parse(r.requires_python);
            if (!rp)
                throw rp.error();
            c.requires_python = *rp;
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<Dependency> MemorySource::dependencies(std::string_view name,
                                                   const standards::Version& version,
                                                   std::string_view extra) {
    ++dependency_queries_;
    std::vector<Dependency> out;
    for (const auto& r : projects_.at(std::string(name))) {
        if (*standards::Version::parse(r.version) != version)
            continue;
        for (const auto& d : r.dependencies) {
            if (standards::normalize_name(d.extra) != extra)
                continue;
            if (!d.python.empty() && python_) {
                auto when = standards::SpecifierSet::parse(d.python);
                if (!when)
                    throw when.error();
                if (!when->contains(*python_, true))
                    continue;
            }
            out.push_back(parse_simple_requirement(d.requirement));
        }
    }
    return out;
}

void MemorySource::prefetch(std::span<const PackageVersion> likely) {
    prefetched_ += likely.size();
}

}  // namespace omni::resolve
