#include <set>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/resolve/index_source.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/wheel_name.hpp"

namespace omni::cli {

void register_versions_command(CLI::App& app, Context& context) {
    auto* versions = app.add_subcommand(
        "versions", "The versions an index offers, and which suit the interpreter");
    struct Options {
        std::string name, spec;
        bool json = false;
        bool pre = false;
    };
    auto o = std::make_shared<Options>();
    versions->add_option("name", o->name, "Project name")->required();
    versions->add_option("specifier", o->spec,
                         "Only the versions it selects, as pip would (packaging 26 rules: "
                         "pre-releases when it names one or nothing else matches)");
    versions->add_flag("--pre", o->pre, "With a specifier: pre-releases as well");
    versions->add_flag("--json", o->json, "Print as JSON");
    versions->callback([&context, o] {
        std::optional<standards::SpecifierSet> spec;
        if (!o->spec.empty()) {
            auto parsed = standards::SpecifierSet::parse(o->spec);
            if (!parsed)
                throw parsed.error();
            spec = *parsed;
        }
        const auto& interpreter = context.selected_interpreter().interpreter;
        const auto name = standards::normalize_name(o->name);
        const auto page = context.index().project_page(name);
        if (page.files.empty())
            throw Error(ErrorCode::not_found,
                        fmt::format("no project named '{}' in the configured sources", o->name));
        // Every version the page has, and whether this interpreter can install it.
        std::map<standards::Version, bool> all;
        std::map<standards::Version, bool> yanked;
        for (const auto& f : page.files) {
            if (!f.is_wheel())
                continue;
            if (auto w = standards::WheelName::parse(f.filename)) {
                all.try_emplace(w->version, false);
                yanked[w->version] = f.yanked;
            }
        }
        resolve::IndexSource source(context.index(), interpreter);
        std::vector<resolve::Candidate> compatible;
        try {
            compatible = source.versions(name);
        } catch (const Error&) {
        }
        const auto python = standards::Version::parse(interpreter.version.str());
        for (const auto& c : compatible)
            all[c.version] =
                !c.requires_python || !python || c.requires_python->contains(*python, true);
        std::set<standards::Version> selected;
        if (spec) {
            std::vector<standards::Version> listed;
            for (const auto& [version, ok] : all)
                listed.push_back(version);
            const bool pre = o->pre || context.settings().flag("install.pre");
            for (auto i :
                 spec->filter_indices(listed, pre ? std::optional<bool>(true) : std::nullopt))
                selected.insert(listed[i]);
        }
        nlohmann::json out = nlohmann::json::array();
        for (auto it = all.rbegin(); it != all.rend(); ++it) {
            const auto& [version, ok] = *it;
            if (spec && !selected.contains(version))
                continue;
            if (o->json) {
                out.push_back({{"version", version.to_string()},
                               {"yanked", yanked[version]},
                               {"prerelease", version.is_prerelease()},
                               {"compatible", ok}});
                continue;
            }
            std::string marks;
            if (yanked[version])
                marks += " yanked";
            if (version.is_prerelease())
                marks += " pre-release";
            if (!ok)
                marks += fmt::format(" (not for Python {})", interpreter.version.str());
            fmt::print("{}{}\n", version.to_string(), marks);
        }
        if (o->json)
            fmt::print("{}\n", out.dump(2));
    });
}

}  // namespace omni::cli
