#include <set>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "omni/resolve/offered_versions.hpp"

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
        const auto offered =
            resolve::offered_versions(context.home(), context.index(), interpreter, o->name);
        std::set<standards::Version> selected;
        if (spec) {
            std::vector<standards::Version> listed;
            for (const auto& v : offered)
                listed.push_back(v.version);
            const bool pre = o->pre || context.settings().flag("install.pre");
            for (auto i :
                 spec->filter_indices(listed, pre ? std::optional<bool>(true) : std::nullopt))
                selected.insert(listed[i]);
        }
        nlohmann::json out = nlohmann::json::array();
        for (const auto& [version, yanked, ok] : offered) {
            if (spec && !selected.contains(version))
                continue;
            if (o->json) {
                out.push_back({{"version", version.to_string()},
                               {"yanked", yanked},
                               {"prerelease", version.is_prerelease()},
                               {"compatible", ok}});
                continue;
            }
            std::string marks;
            if (yanked)
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
