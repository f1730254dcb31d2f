#pragma once
// What omni knows about one interpreter, from one query of it.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "omni/python/version.hpp"
#include "omni/util/error.hpp"

namespace omni::python {

// Where an interpreter was found. The order is the preference on ties:
// managed and pyenv builds before whatever the system ships.
enum class Source { managed, pyenv, uv, adopted, path, system };

std::string_view to_string(Source source);
std::optional<Source> source_from_string(std::string_view text);

struct InterpreterInfo {
    std::filesystem::path path;  // as registered: the key of the registry
    Source source = Source::path;

    PythonVersion version;
    std::string implementation;        // sys.implementation.name: "cpython", "pypy"
    std::filesystem::path executable;  // sys.executable
    std::filesystem::path prefix;
    std::filesystem::path base_prefix;
    std::filesystem::path exec_prefix;
    // sysconfig.get_paths(): purelib, platlib, scripts, include, stdlib.
    std::map<std::string, std::string> paths;
    // PEP 508 marker environment.
    std::map<std::string, std::string> markers;
    // Wheel tag inputs.
    std::string abiflags;
    std::string soabi;
    std::string platform;  // sysconfig.get_platform()
    std::string glibc;     // "2.36", empty when not glibc
    int pointer_bits = 64;
    bool free_threaded = false;  // Py_GIL_DISABLED
    bool is_venv = false;
    bool externally_managed = false;  // PEP 668

    // "cpython-3.9", "cpython-3.13t": the name of its main env.
    std::string env_key() const;
    // "cpython 3.9.18 (pyenv) /root/.pyenv/versions/3.9.18/bin/python3.9"
    std::string describe() const;
};

nlohmann::json to_json(const InterpreterInfo& info);
// The error names what is missing; the caller decides what it means.
Result<InterpreterInfo> info_from_json(const nlohmann::json& doc);

}  // namespace omni::python
