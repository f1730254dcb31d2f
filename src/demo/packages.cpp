#include "omni/demo/packages.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "omni/demo_packages_toml.hpp"
#include "omni/home/staging.hpp"
#include "omni/util/error.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/hash.hpp"

namespace omni::demo {

namespace {

std::string with_version(std::string text, const std::string& version) {
    for (auto pos = text.find("{version}"); pos != std::string::npos;
         pos = text.find("{version}", pos + version.size()))
        text.replace(pos, 9, version);
    return text;
}

WheelSource release(const std::string& name, const std::string& module, const std::string& version,
                    const std::string& source, const toml::array* dependencies) {
    WheelSource w;
    w.name = name;
    w.version = version;
    w.summary = "omni demo package " + name;
    w.requires_python = ">=3.6";
    w.files[module + "/__init__.py"] = with_version(source, version);
    if (dependencies)
        for (const auto& r : *dependencies)
            if (auto text = r.value<std::string>())
                w.requires_dist.push_back(*text);
    return w;
}

}  // namespace

std::vector<WheelSource> demo_packages() {
    toml::table doc;
    try {
        doc = toml::parse(std::string_view(demo_packages_toml),
                          std::string_view("demos/packages.toml"));
    } catch (const toml::parse_error& e) {
        throw Error(ErrorCode::internal, fmt::format("demos/packages.toml: {}", e.description()));
    }
    std::vector<WheelSource> out;
    const auto* packages = doc["package"].as_array();
    if (!packages)
        return out;
    for (const auto& node : *packages) {
        const auto& p = *node.as_table();
        const auto name = p["name"].value_or(std::string());
        const auto module = p["module"].value_or(std::string());
        if (const auto* releases = p["release"].as_array())
            for (const auto& r : *releases) {
                const auto& t = *r.as_table();
                out.push_back(release(name, module, t["version"].value_or(std::string()),
                                      t["source"].value_or(std::string()),
                                      t["requires"].as_array()));
            }
        if (const auto* versions = p["versions"].as_array())
            for (const auto& v : *versions) {
                const auto version = v.value_or(std::string());
                auto source = p["source"].value_or(std::string());
                if (const auto* broken = p["broken"].as_table())
                    if (auto replaced = (*broken)[version].value<std::string>())
                        source = *replaced;
                out.push_back(release(name, module, version, source, nullptr));
            }
    }
    return out;
}

std::filesystem::path ensure_demo_wheels(const Home& home) {
    const auto dir = home.root() / "demo" / "wheels" / sha256_hex(demo_packages_toml).substr(0, 16);
    std::error_code ec;
    if (std::filesystem::exists(dir, ec))
        return dir;
    const auto lock = FileLock::acquire(home.lock_file("demo-wheels"), LockMode::exclusive);
    if (std::filesystem::exists(dir, ec))
        return dir;
    auto staging = StagingDir::create(home, "demo-wheels");
    for (const auto& w : demo_packages())
        build_wheel(w, staging.path());
    staging.publish(dir);
    return dir;
}

}  // namespace omni::demo
