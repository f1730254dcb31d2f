#include "demo/demo_common.hpp"

#include <fmt/format.h>

#include "omni/bubble/activation.hpp"
#include "omni/bubble/loader.hpp"
#include "omni/python/main_env.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/version.hpp"

namespace omni::demo {

std::string ms(double seconds) {
    return fmt::format("{:.0f} ms", seconds * 1000.0);
}

const std::vector<DemoInfo>& demo_list() {
    static const std::vector<DemoInfo> demos{
        {1, "multiverse",
         "Concurrent multiverse: three threads, three interpreters, three versions of one package"},
        {2, "pipeline",
         "Multiverse pipeline: a legacy stage on an old Python feeds a modern stage on a new one"},
        {3, "healing", "Script healing: omni run finds the version a script needs and re-runs it"},
        {4, "matrix", "Matrix: sixteen versions tested in parallel, the broken one found"},
        {5, "loader",
         "Loader: three versions of one package, one after another, in one Python process"},
        {6, "stress",
         "Stress: omni processes race to swap, install and configure one home; invariants "
         "checked"},
    };
    return demos;
}

Result<DemoSubject> DemoSubject::parse(std::string_view text) {
    const auto eq = text.find("==");
    if (eq == std::string_view::npos || eq == 0)
        return std::unexpected(
            parse_error("demo package", text, eq == 0 ? 0 : text.size(),
                        "expected NAME==V1,V2,V3, e.g. rich==13.4.2,13.6.0,13.7.1"));
    DemoSubject subject;
    subject.name = std::string(text.substr(0, eq));
    subject.versions.clear();
    std::size_t start = eq + 2;
    while (start <= text.size()) {
        const auto comma = std::min(text.find(',', start), text.size());
        const auto item = text.substr(start, comma - start);
        if (!standards::Version::parse(item))
            return std::unexpected(parse_error("demo package", text, start,
                                               "not a version: '" + std::string(item) + "'"));
        subject.versions.emplace_back(item);
        start = comma + 1;
    }
    if (subject.versions.size() != 3)
        return std::unexpected(
            parse_error("demo package", text, eq + 2, "the demos need exactly three versions"));
    subject.builtin = false;
    return subject;
}

const DemoInfo& find_demo(const std::string& which) {
    for (const auto& d : demo_list())
        if (std::to_string(d.number) == which || d.name == which)
            return d;
    std::string names;
    for (const auto& d : demo_list())
        names += fmt::format("{}{} {}", names.empty() ? "" : ", ", d.number, d.name);
    throw Error(ErrorCode::not_found, fmt::format("there is no demo '{}'", which),
                "the demos are: " + names);
}

DemoResult run_demo(const DemoInfo& demo, DemoContext& context) {
    switch (demo.number) {
        case 1:
            return run_multiverse(context);
        case 2:
            return run_pipeline(context);
        case 3:
            return run_healing(context);
        case 4:
            return run_matrix(context);
        case 5:
            return run_loader(context);
        default:
            return run_stress(context);
    }
}

std::vector<python::InterpreterInfo> pick_interpreters(DemoContext& context,
                                                       const std::vector<std::string>& wanted,
                                                       std::size_t count) {
    std::vector<python::InterpreterInfo> out;
    const auto have = [&](const python::InterpreterInfo& i) {
        return std::any_of(out.begin(), out.end(),
                           [&](const auto& o) { return o.env_key() == i.env_key(); });
    };
    for (const auto& w : wanted) {
        if (out.size() == count)
            break;
        try {
            auto request = python::PythonRequest::parse(w);
            if (!request)
                continue;
            const auto found = context.registry.find(*request).interpreter;
            if (!have(found))
                out.push_back(found);
        } catch (const Error&) {
        }
    }
    if (out.size() < count) {
        // Others, newest first: Python 3.6+ (main envs need pyvenv.cfg).
        for (const auto& i : context.registry.interpreters()) {
            if (out.size() == count)
                break;
            if (i.version.major == 3 && i.version.minor >= 6 && !i.is_venv && !have(i))
                out.push_back(i);
        }
        std::string used;
        for (const auto& i : out)
            used +=
                (used.empty() ? "" : ", ") + fmt::format("{}.{}", i.version.major, i.version.minor);
        context.say(fmt::format("not every interpreter of {} is here; using {}",
                                fmt::join(wanted, ", "), used));
    }
    if (out.empty())
        throw Error(ErrorCode::not_found, "no Python 3.6 or newer was found",
                    "install one, e.g. with pyenv");
    return out;
}

bubble::ProvisionContext provision(DemoContext& context,
                                   const python::InterpreterInfo& interpreter) {
    const auto env = python::ensure_main_env(context.home, interpreter);
    bubble::ensure_loader(env, context.home);
    return {context.home, context.index, interpreter, env};
}

std::string module_name(const std::string& name, const std::vector<std::string>& import_names) {
    if (!import_names.empty())
        return import_names.front();
    std::string module = standards::normalize_name(name);
    std::replace(module.begin(), module.end(), '-', '_');
    return module;
}

std::string module_in(const bubble::BubbleInfo& bubble, const std::string& name) {
    const auto normalized = standards::normalize_name(name);
    for (const auto& d : bubble.distributions)
        if (d.name == normalized)
            return module_name(name, d.import_names);
    return module_name(name, {});
}

std::string version_probe(const std::string& dist, const std::string& module) {
    return fmt::format(R"(import sys, importlib
m = importlib.import_module("{1}")
try:
    from importlib.metadata import version
    v = version("{0}")
except ImportError:
    v = getattr(m, "__version__", "?")
print("%d.%d" % sys.version_info[:2], v, m.__file__)
)",
                       dist, module);
}

ProcessResult run_python(const bubble::ProvisionContext& context,
                         const std::vector<bubble::BubbleInfo>& bubbles, const std::string& code,
                         const std::vector<std::string>& args) {
    ProcessOptions options;
    options.argv = {(context.env_root / "bin" / "python").string(), "-c", code};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.env = bubble::activation_environment(bubbles, nullptr, std::getenv("PATH"));
    options.timeout = std::chrono::seconds(120);
    return run_process(options);
}

}  // namespace omni::demo
