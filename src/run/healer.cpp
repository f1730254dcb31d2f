#include "omni/run/healer.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "omni/bubble/activation.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/requirement.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::run {

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

std::string project_of(const std::string& requirement) {
    auto parsed = standards::Requirement::parse(requirement);
    return parsed ? parsed->normalized_name() : standards::normalize_name(requirement);
}

// One run with `bubbles` active, each held until the child has ended.
RunResult run_with(const RunTarget& target, std::vector<bubble::BubbleInfo>& bubbles,
                   HealEnvironment& environment, const HealEvents& events) {
    const auto holds = environment.hold(bubbles);
    const auto env =
        bubble::activation_environment(bubbles, std::getenv("PYTHONPATH"), std::getenv("PATH"));
    return run_once(target, env, events.stderr_sink);
}

// The requirement with its project replaced: "yaml>=6" -> "PyYAML>=6". A
// project that is the same name, spelled otherwise, is kept as written.
std::string with_project(const std::string& requirement, const std::string& project) {
    const auto end = requirement.find_first_of("<>=!~[; ");
    const auto current = requirement.substr(0, end);
    if (standards::normalize_name(current) == standards::normalize_name(project))
        return requirement;
    return project + (end == std::string::npos ? "" : requirement.substr(end));
}

// Turns findings into fixes, deciding consent for new distributions.
std::vector<Fix> plan(const std::vector<Finding>& findings, HealEnvironment& environment,
                      const HealOptions& options, const HealEvents& events) {
    std::vector<Fix> fixes;
    for (const auto& finding : findings) {
        Fix fix{finding, finding.requirement, "", false, {}, true, ""};
        bool proved_by_index = false;
        if (finding.kind == FindingKind::python_version) {
            fix.requirement.clear();
            if (auto python = environment.interpreter_for(finding.python))
                fix.interpreter = *python;
            else {
                fix.approved = false;
                fix.note = fmt::format("no interpreter here matches Python {}", finding.python);
            }
            fixes.push_back(std::move(fix));
            continue;
        }
        if (!finding.module.empty() && (finding.kind == FindingKind::missing_module ||
                                        finding.kind == FindingKind::version_pin ||
                                        finding.kind == FindingKind::missing_name)) {
            // The distribution behind an import name is proved, never guessed.
            const auto provider = environment.provider_of(finding.module);
            if (!provider.verified()) {
                fix.approved = false;
                fix.note = fmt::format(
                    "no distribution is known to provide the module '{}' ({}); not installing a "
                    "guess",
                    finding.module, fmt::join(provider.tried, "; "));
                fixes.push_back(std::move(fix));
                continue;
            }
            fix.requirement = with_project(fix.requirement, provider.distribution);
            fix.finding.requirement = with_project(finding.requirement, provider.distribution);
            // Proved by the index alone: nothing of it was here before.
            proved_by_index = provider.from_index;
        }
        if (finding.kind == FindingKind::missing_name && options.dry_run) {
            // Probing installs versions: not in a dry run.
            fix.approved = false;
            fix.note = fmt::format("dry run: versions of {} would be tried for {}.{}",
                                   fix.finding.requirement, finding.module, finding.name);
            fixes.push_back(std::move(fix));
            continue;
        }
        if (finding.kind == FindingKind::missing_name) {
            if (auto requirement = environment.version_providing(fix.finding))
                fix.requirement = *requirement;
            else {
                fix.approved = false;
                fix.note = fmt::format("no version of {} provides {}.{}", finding.requirement,
                                       finding.module, finding.name);
                fixes.push_back(std::move(fix));
                continue;
            }
        }
        const auto project = project_of(fix.requirement);
        fix.new_distributions = environment.new_distributions(fix.requirement);
        if ((proved_by_index || !environment.is_known(project)) &&
            std::find(fix.new_distributions.begin(), fix.new_distributions.end(), project) ==
                fix.new_distributions.end())
            fix.new_distributions.insert(fix.new_distributions.begin(), project);
        fix.new_package = !fix.new_distributions.empty();
        if (fix.new_package) {
            switch (options.new_packages) {
                case NewPackagePolicy::allow:
                    break;
                case NewPackagePolicy::deny:
                    fix.approved = false;
                    fix.note = "new to this machine and heal.new-packages is 'deny'";
                    break;
                case NewPackagePolicy::ask:
                    fix.approved = events.approve && events.approve(fix);
                    if (!fix.approved)
                        fix.note = "new to this machine and not approved (use --yes)";
                    break;
            }
        }
        fixes.push_back(std::move(fix));
    }
    return fixes;
}

void put_bubble(std::vector<bubble::BubbleInfo>& bubbles, bubble::BubbleInfo info) {
    // One version of a project at a time: the newer fix replaces the older.
    std::erase_if(bubbles, [&](const bubble::BubbleInfo& b) { return b.name == info.name; });
    bubbles.insert(bubbles.begin(), std::move(info));
}

}  // namespace

std::vector<std::string> HealEnvironment::new_distributions(const std::string&) {
    return {};
}

ImportResolution HealEnvironment::provider_of(std::string_view module) {
    ImportResolution r;
    r.module = std::string(module);
    r.distribution = distribution_for_import(module);
    r.proof = "the table of known import names, or the name itself";
    return r;
}

HealReport run_with_healing(RunTarget target, HealEnvironment& environment,
                            const HealOptions& options, const HealEvents& events) {
    HealReport report;
    report.bubbles = options.bubbles;
    auto result = run_with(target, report.bubbles, environment, events);
    report.first_run = result.elapsed;
    std::vector<std::string> previous;
    while (result.exit_code != 0 && options.heal && report.rounds < options.max_rounds) {
        ++report.rounds;
        const auto analysis_start = Clock::now();
        FailureContext context;
        context.traceback = parse_traceback(result.stderr_tail);
        context.stderr_tail = result.stderr_tail;
        if (!target.script.empty()) {
            context.script_path = target.script.string();
            try {
                context.script_source = fs::read_file(target.script);
            } catch (const Error&) {
            }
        }
        const auto findings = analyze(context);
        auto fixes = plan(findings, environment, options, events);
        report.analysis += since(analysis_start);
        if (findings.empty()) {
            report.unhealable =
                context.traceback.found
                    ? fmt::format(
                          "nothing in '{}: {}' points at a package version or an interpreter",
                          context.traceback.exception, context.traceback.message)
                    : "the script failed without a Python traceback";
            break;
        }
        if (events.on_plan)
            events.on_plan(report.rounds, fixes);
        if (options.dry_run) {
            report.unhealable = "dry run: nothing was built";
            break;
        }
        std::vector<std::string> applied;
        const auto build_start = Clock::now();
        for (auto& fix : fixes) {
            if (!fix.approved)
                continue;
            if (!fix.interpreter.empty()) {
                // The bubbles belong to the old interpreter; the remaining
                // fixes are rebuilt for the new one in the next round.
                target.argv[0] = fix.interpreter;
                report.bubbles.clear();
                applied.push_back("python" + fix.finding.python);
                report.fixes.push_back(fix);
                break;
            }
            const auto one = Clock::now();
            auto info = environment.ensure_bubble(fix.requirement);
            if (events.on_bubble)
                events.on_bubble(info, since(one));
            put_bubble(report.bubbles, std::move(info));
            applied.push_back(fix.requirement);
            report.fixes.push_back(fix);
        }
        report.build += since(build_start);
        if (applied.empty()) {
            report.unhealable = fixes.empty() || fixes.front().note.empty()
                                    ? "no fix could be applied"
                                    : fixes.front().note;
            break;
        }
        if (applied == previous) {
            report.unhealable =
                fmt::format("the same fix ({}) did not help", fmt::join(applied, ", "));
            break;
        }
        previous = applied;
        result = run_with(target, report.bubbles, environment, events);
        report.rerun += result.elapsed;
    }
    report.exit_code = result.exit_code;
    report.healed = result.exit_code == 0 && report.rounds > 0;
    if (result.exit_code != 0 && report.unhealable.empty())
        report.unhealable = options.heal
                                ? fmt::format("still failing after {} rounds", report.rounds)
                                : "healing is off (--no-heal)";
    report.argv = target.argv;
    return report;
}

}  // namespace omni::run
