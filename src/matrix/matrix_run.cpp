#include "omni/matrix/matrix_run.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "omni/bubble/activation.hpp"
#include "omni/bubble/hold.hpp"
#include "omni/install/installed.hpp"
#include "omni/matrix/cell_evidence.hpp"
#include "omni/resolve/index_source.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/version.hpp"
#include "omni/util/ansi.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"

namespace omni::matrix {

namespace stdfs = std::filesystem;

std::vector<std::string> select_versions(const bubble::ProvisionContext& context,
                                         const std::string& package, const std::string& selection) {
    resolve::IndexSource source(context.index, context.interpreter);
    auto candidates = source.versions(standards::normalize_name(package));
    std::sort(candidates.begin(), candidates.end(),
              [](const auto& a, const auto& b) { return b.version < a.version; });
    std::vector<std::string> all, finals;
    for (const auto& c : candidates) {
        all.push_back(c.version.to_string());
        if (!c.yanked && !c.version.is_prerelease())
            finals.push_back(c.version.to_string());
    }
    if (selection == "all")
        return finals;
    std::size_t last = 8;
    if (selection.starts_with("last:")) {
        try {
            last = static_cast<std::size_t>(std::stoul(selection.substr(5)));
        } catch (const std::exception&) {
            throw parse_error("version selection", selection, 5,
                              "expected last:N with a whole number");
        }
    } else if (!selection.empty()) {
        const bool is_list = selection.find_first_of("<>=!~") == std::string::npos;
        if (is_list) {
            std::vector<std::string> out;
            std::size_t start = 0;
            while (start <= selection.size()) {
                const auto comma = selection.find(',', start);
                const auto item = selection.substr(start, comma - start);
                auto version = standards::Version::parse(item);
                if (!version)
                    throw version.error();
                if (std::find(all.begin(), all.end(), version->to_string()) == all.end())
                    throw Error(ErrorCode::not_found,
                                fmt::format("{} has no version {} for {}", package, item,
                                            context.interpreter.describe()));
                out.push_back(version->to_string());
                if (comma == std::string::npos)
                    break;
                start = comma + 1;
            }
            return out;
        }
        auto spec = standards::SpecifierSet::parse(selection);
        if (!spec)
            throw spec.error();
        // As pip selects: pre-releases when the specifier names one or no
        // final release matches (packaging 26); yanked versions never.
        std::vector<standards::Version> offered;
        for (const auto& c : candidates)
            if (!c.yanked)
                offered.push_back(c.version);
        std::vector<std::string> out;
        for (auto i : spec->filter_indices(offered))
            out.push_back(offered[i].to_string());
        return out;
    }
    if (finals.size() > last)
        finals.resize(last);
    return finals;
}

std::string default_test(const std::vector<std::string>& import_names) {
    // Python 2.7 and 3.6+ alike; the version and file are checked from the
    // evidence the cell's hook records, not from this output.
    const std::string module = import_names.empty() ? "" : import_names.front();
    return fmt::format(
        "python -c \"import sys, {0}; sys.stdout.write('%s %s %s\\n' % ('{0}', getattr({0}, "
        "'__version__', None), getattr({0}, '__file__', None)))\"",
        module);
}

std::string pytest_command(const std::string& args, bool in_worktree, const stdfs::path& basetemp,
                           const std::string& pytest_version) {
    std::string command = "python -m pytest";
    if (!in_worktree)
        command += " -p no:cacheprovider";
    // pytest 6 and later import test files without putting their directories
    // (or the rootdir) on sys.path; older ones keep their default.
    const auto version = standards::Version::parse(pytest_version);
    if (version && *version >= *standards::Version::parse("6") &&
        args.find("--import-mode") == std::string::npos)
        command += " --import-mode=importlib";
    command += " --basetemp=" + shell_quote(basetemp.string());
    if (!args.empty())
        command += " " + args;
    return command;
}

namespace {

struct PytestSource {
    std::vector<bubble::BubbleInfo> bubbles;
    std::string version;
};

// pytest for --pytest cells: nothing when the main env has it, else its own
// bubble (built once per interpreter and shared by the cells).
PytestSource pytest_source(const bubble::ProvisionContext& context) {
    for (const auto& d : install::list_installed(bubble::site_packages(context)))
        if (d.name == "pytest")
            return {{}, d.version};
    auto info = bubble::ensure_bubble(context, "pytest").info;
    auto version = info.version;
    return {{std::move(info)}, std::move(version)};
}

// Runs `python -c "import MODULE"` the way the test ran, so that a cell
// whose test never imported the package still says what it would import.
void probe_import(const ProcessOptions& test, const std::string& module) {
    ProcessOptions probe = test;
    probe.argv = {"/bin/sh", "-c", fmt::format("python -c \"import {}\"", module)};
    probe.timeout = std::chrono::seconds(60);
    run_process(probe);
}

// What says most about a failure: pytest's first "FAILED test - reason"
// line when there is one, else the last line of the output.
std::string failure_line(const ProcessResult& run) {
    for (const auto* text : {&run.out, &run.err}) {
        const auto at = text->starts_with("FAILED ") ? 0 : text->find("\nFAILED ");
        if (at != std::string::npos) {
            const auto begin = at == 0 ? 0 : at + 1;
            return text->substr(begin, text->find('\n', begin) - begin);
        }
    }
    const std::string& text = run.err.empty() ? run.out : run.err;
    const auto end = text.find_last_not_of("\n ");
    if (end == std::string::npos)
        return {};
    const auto newline = text.rfind('\n', end);
    const auto begin = newline == std::string::npos ? 0 : newline + 1;
    return text.substr(begin, end - begin + 1);
}

}  // namespace

CellExecutor make_executor(const MatrixSetup& setup) {
    return [&setup](const Cell& cell) -> CellResult {
        CellResult result{cell, CellStatus::error, 0, {}, setup.log_dir / (cell.id() + ".log"), "",
                          {}};
        const auto start = std::chrono::steady_clock::now();
        std::string log;
        const auto finish = [&]() -> CellResult {
            result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - start);
            // Reports and logs keep the child's text, not its colour codes.
            result.detail = strip_ansi(result.detail);
            fs::atomic_write(result.log, strip_ansi(log));
            return result;
        };
        const auto& context = setup.interpreters.at(cell.python);
        const auto requirement = fmt::format("{}=={}", setup.package, cell.version);
        std::vector<bubble::BubbleInfo> bubbles;
        // Held until the cell's processes have ended: bubble remove and
        // prune leave the cell's bubble and the shared pytest bubble be.
        std::vector<FileLock> holds;
        std::string pytest_version;
        try {
            bubble::PlanOptions plan;
            plan.lowest = cell.resolution == "lowest";
            bubbles.push_back(bubble::ensure_bubble(context, requirement, plan).info);
            if (setup.pytest_args) {
                auto pytest = pytest_source(context);
                pytest_version = pytest.version;
                for (auto& b : pytest.bubbles)
                    bubbles.push_back(std::move(b));
            }
            holds = bubble::hold_bubbles(context, bubbles);
        } catch (const std::exception& e) {
            result.detail = e.what();
            log = fmt::format("could not build the bubbles for {}: {}\n", requirement, e.what());
            return finish();
        }
        std::vector<std::string> imports;
        for (const auto& d : bubbles.front().distributions)
            if (d.name == standards::normalize_name(setup.package))
                imports = d.import_names;
        const auto modules = hook_modules(imports, standards::normalize_name(setup.package));

        std::optional<stdfs::path> keep_at;
        if (setup.keep)
            keep_at = setup.log_dir / cell.id();
        std::optional<CellWorkspace> workspace;
        try {
            workspace.emplace(context.home, cell.id(), setup.worktree ? &*setup.worktree : nullptr,
                              keep_at);
        } catch (const std::exception& e) {
            result.detail = e.what();
            log = fmt::format("could not prepare the cell's directory: {}\n", e.what());
            return finish();
        }
        std::string test = setup.test.empty() ? default_test(modules) : setup.test;
        stdfs::path cwd = workspace->cwd();
        if (setup.pytest_args) {
            test = pytest_command(*setup.pytest_args, setup.worktree.has_value(), workspace->temp(),
                                  pytest_version);
            if (!setup.worktree)
                cwd = setup.project_dir;
        }
        const CellHook hook{setup.package, modules, bubbles.front().path, workspace->hooks()};
        const char* path = std::getenv("PATH");
        const std::string env_path =
            (context.env_root / "bin").string() + (path ? std::string(":") + path : "");
        ProcessOptions options;
        options.argv = {"/bin/sh", "-c", test};
        options.cwd = cwd;
        options.env = bubble::activation_environment(bubbles, nullptr, env_path.c_str());
        if (!options.env.count("PATH"))
            options.env["PATH"] = env_path;
        for (auto& [key, value] : install_hook(hook, options.env["PYTHONPATH"].value_or("")))
            options.env[key] = std::move(value);
        options.env["VIRTUAL_ENV"] = context.env_root.string();
        options.env["OMNI_MATRIX_CELL"] = cell.id();
        options.env["TMPDIR"] = workspace->temp().string();
        if (setup.pytest_args && !setup.worktree)
            options.env["PYTHONDONTWRITEBYTECODE"] = "1";
        options.timeout = setup.timeout;
        options.new_process_group = true;
        const auto run = run_process(options);
        log = fmt::format("$ {}\n# python {} ({}), {}, bubble {}, in {}\n{}{}", test, cell.python,
                          context.interpreter.describe(), requirement,
                          bubbles.front().path.string(), cwd.string(), run.out, run.err);
        result.exit_code = run.exit_code;
        result.status = run.timed_out ? CellStatus::timed_out
                        : run.ok()    ? CellStatus::passed
                                      : CellStatus::failed;
        if (!run.ok())
            result.detail = run.timed_out ? run.describe() : failure_line(run);
        result.evidence = read_evidence(hook, cell.version);
        if (!result.evidence.present() && !run.timed_out && !modules.empty()) {
            probe_import(options, modules.front());
            result.evidence = read_evidence(hook, cell.version);
        }
        log += fmt::format(
            "# imported: {}{}\n", describe(result.evidence),
            result.evidence.present()
                ? fmt::format(" (version via {}, {} process{})", result.evidence.via,
                              result.evidence.processes, result.evidence.processes == 1 ? "" : "es")
                : "");
        if (result.evidence.present() && !result.evidence.matches) {
            result.status = CellStatus::failed;
            result.detail =
                fmt::format("wrong version imported: {} (the cell is {} from {})",
                            describe(result.evidence), cell.version, bubbles.front().path.string());
        }
        if (setup.keep)
            log += fmt::format("# cell directory kept at {}\n", workspace->dir().string());
        return finish();
    };
}

}  // namespace omni::matrix
