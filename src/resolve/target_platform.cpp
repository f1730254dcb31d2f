#include "omni/resolve/target_platform.hpp"

#include <charconv>
#include <regex>

#include <fmt/format.h>

#include "omni/util/error.hpp"

namespace omni::resolve {

namespace {

unsigned number(const std::string& text) {
    unsigned n = 0;
    std::from_chars(text.data(), text.data() + text.size(), n);
    return n;
}

}  // namespace

python::InterpreterInfo with_overrides(python::InterpreterInfo info,
                                       const TargetOverrides& overrides) {
    if (!overrides.implementation.empty()) {
        const auto& i = overrides.implementation;
        if (i == "cp" || i == "cpython")
            info.implementation = "cpython";
        else if (i == "pp" || i == "pypy")
            info.implementation = "pypy";
        else
            throw Error(ErrorCode::invalid_input,
                        fmt::format("--implementation '{}' is not one omni resolves for", i),
                        "give cp (CPython) or pp (PyPy)");
        info.markers["implementation_name"] = info.implementation;
        info.markers["platform_python_implementation"] =
            info.implementation == "pypy" ? "PyPy" : "CPython";
    }
    if (!overrides.python_version.empty()) {
        static const std::regex shape(R"((\d)\.(\d{1,2})(?:\.(\d{1,3}))?)");
        std::smatch m;
        if (!std::regex_match(overrides.python_version, m, shape))
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("--python-version '{}' is not X.Y or X.Y.Z", overrides.python_version),
                "e.g. --python-version 3.9");
        info.version = python::PythonVersion{};
        info.version.major = static_cast<int>(number(m[1]));
        info.version.minor = static_cast<int>(number(m[2]));
        info.version.micro = m[3].matched ? static_cast<int>(number(m[3])) : 0;
        info.markers["python_version"] = info.version.major_minor();
        info.markers["python_full_version"] = info.version.str();
        if (info.implementation == "cpython") {
            info.markers["implementation_version"] = info.version.str();
            info.abiflags = info.version.major == 3 && info.version.minor < 8 ? "m" : "";
            info.soabi = fmt::format("cpython-{}{}{}", info.version.major, info.version.minor,
                                     info.abiflags);
            info.free_threaded = false;
        }
    }
    if (!overrides.platform.empty()) {
        static const std::regex linux_tag(
            R"((manylinux_(\d+)_(\d+)|manylinux2014|manylinux2010|manylinux1|linux)_(x86_64|aarch64|i686|ppc64le|s390x|armv7l))");
        std::smatch m;
        if (!std::regex_match(overrides.platform, m, linux_tag))
            throw Error(ErrorCode::invalid_input,
                        fmt::format("--platform '{}' is not a Linux wheel platform omni "
                                    "resolves for",
                                    overrides.platform),
                        "give e.g. manylinux2014_x86_64, manylinux_2_28_aarch64 or linux_x86_64");
        const std::string family = m[1], arch = m[4];
        info.platform = "linux-" + arch;
        if (family == "linux")
            info.glibc.clear();
        else if (family == "manylinux1")
            info.glibc = "2.5";
        else if (family == "manylinux2010")
            info.glibc = "2.12";
        else if (family == "manylinux2014")
            info.glibc = "2.17";
        else
            info.glibc = m[2].str() + "." + m[3].str();
        info.pointer_bits = arch == "i686" || arch == "armv7l" ? 32 : 64;
        info.markers["sys_platform"] = "linux";
        info.markers["platform_system"] = "Linux";
        info.markers["os_name"] = "posix";
        info.markers["platform_machine"] = arch;
    }
    return info;
}

}  // namespace omni::resolve
