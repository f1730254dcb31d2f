#include "omni/run/script_run.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "omni/run/heal_memory.hpp"
#include "omni/standards/script_metadata.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"

namespace omni::run {

namespace {

// The bubble of `requirement`: built, or in a dry run only when it exists.
std::optional<bubble::BubbleInfo> bubble_for(ProvisionedEnvironment& environment,
                                             const std::string& requirement, bool dry_run,
                                             const std::function<void(const std::string&)>& say) {
    if (!dry_run)
        return environment.ensure_bubble(requirement);
    if (auto existing = environment.existing_bubble(requirement))
        return existing;
    say(fmt::format("dry run: a bubble for {} would be built", requirement));
    return std::nullopt;
}

void check_requires_python(const standards::ScriptMetadata& m, ProvisionedEnvironment& environment,
                           const std::function<void(const std::string&)>& say) {
    if (!m.requires_python)
        return;
    const auto& v = environment.context().interpreter.version;
    const auto current =
        standards::Version::parse(fmt::format("{}.{}.{}", v.major, v.minor, v.micro));
    if (!current || m.requires_python->contains(*current, true))
        return;
    if (!environment.interpreter_for(m.requires_python->to_string()))
        throw Error(ErrorCode::not_found,
                    fmt::format("the script needs Python {} and no interpreter here has it",
                                m.requires_python->to_string()),
                    "'omni python list' shows the interpreters there are");
    say(fmt::format("running on {} (the script requires Python {})",
                    environment.context().interpreter.describe(), m.requires_python->to_string()));
}

}  // namespace

PreparedRun prepare_run(const std::vector<std::string>& arguments,
                        ProvisionedEnvironment& environment, const Home& home, bool dry_run,
                        const std::function<void(const std::string&)>& say) {
    if (arguments.empty())
        throw Error(ErrorCode::usage, "omni run needs a script, -m MODULE, -c CODE or a tool name");
    PreparedRun run;
    const auto& first = arguments.front();
    std::error_code ec;
    if (first == "-m" || first == "-c") {
        run.target.argv = {environment.env_python().string()};
        run.target.argv.insert(run.target.argv.end(), arguments.begin(), arguments.end());
        return run;
    }
    if (!std::filesystem::is_regular_file(first, ec)) {
        // A console tool of the env (or of a bubble, once healed).
        const auto tool = environment.context().env_root / "bin" / first;
        if (!std::filesystem::exists(tool, ec))
            throw Error(ErrorCode::not_found,
                        fmt::format("'{}' is neither a file nor a tool in {}", first,
                                    (environment.context().env_root / "bin").string()));
        run.target.argv = {tool.string()};
        run.target.argv.insert(run.target.argv.end(), arguments.begin() + 1, arguments.end());
        return run;
    }
    run.target.script = std::filesystem::absolute(first);
    run.source = fs::read_file(run.target.script);
    auto metadata = standards::ScriptMetadata::parse(run.source);
    if (!metadata)
        throw metadata.error();
    if (*metadata) {
        const auto& m = **metadata;
        check_requires_python(m, environment, say);
        // Declared by the script's author: no consent prompt.
        for (const auto& dep : m.dependencies)
            if (auto b = bubble_for(environment, dep.to_string(), dry_run, say)) {
                say(fmt::format("bubble {}=={} for the script's dependency {}", b->name, b->version,
                                dep.to_string()));
                run.bubbles.push_back(*b);
            }
    }
    run.target.argv = {environment.env_python().string(), run.target.script.string()};
    run.target.argv.insert(run.target.argv.end(), arguments.begin() + 1, arguments.end());
    if (const auto memory = recall_heal(home, sha256_hex(run.source))) {
        for (const auto& r : memory->requirements)
            if (auto b = bubble_for(environment, r, dry_run, say))
                run.bubbles.push_back(*b);
        if (!memory->requirements.empty())
            say(fmt::format("using what healed this script before: {}",
                            fmt::join(memory->requirements, ", ")));
    }
    return run;
}

void remember_success(const Home& home, const PreparedRun& run, const HealReport& report) {
    if (!report.healed || run.source.empty())
        return;
    std::vector<std::string> requirements;
    for (const auto& f : report.fixes)
        if (!f.requirement.empty())
            requirements.push_back(f.requirement);
    remember_heal(home, sha256_hex(run.source), {report.argv.front(), requirements});
}

}  // namespace omni::run
