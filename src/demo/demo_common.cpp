#include "demo/demo_common.hpp"

#include <fmt/format.h>

#include "omni/bubble/activation.hpp"
#include "omni/bubble/loader.hpp"
#include "omni/python/main_env.hpp"

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
    };
    return demos;
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
        default:
            return run_loader(context);
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
