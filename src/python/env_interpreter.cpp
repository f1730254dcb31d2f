#include "omni/python/env_interpreter.hpp"

#include <fmt/format.h>

#include "omni/python/query.hpp"
#include "omni/util/error.hpp"

namespace omni::python {

namespace stdfs = std::filesystem;

InterpreterInfo env_interpreter(Registry& registry, const TargetEnv& env) {
    std::error_code ec;
    const auto real = stdfs::canonical(env.python, ec);
    if (ec)
        throw Error(ErrorCode::not_found,
                    fmt::format("the python of env '{}' does not lead to an interpreter ({})",
                                env.root.string(), ec.message()),
                    "recreate the venv, or name another with --env");
    const auto within = real.lexically_relative(stdfs::canonical(env.root, ec));
    const bool copied = !within.empty() && *within.begin() != "..";
    if (!copied) {
        for (const auto& i : registry.interpreters())
            if (i.path == real)
                return i;
        try {
            auto request = PythonRequest::parse(real.string());
            if (request)
                return registry.find(*request).interpreter;
        } catch (const Error&) {
            // Queried below by the venv's own path, which names the env.
        }
    }
    auto info = query_interpreter(env.python);
    if (!info)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("the python of env '{}' does not run: {}", env.root.string(),
                                info.error().what()),
                    "recreate the venv, or name another with --env");
    return *info;
}

}  // namespace omni::python
