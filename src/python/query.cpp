#include "omni/python/query.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omni/util/process.hpp"

namespace omni::python {

namespace {

constexpr std::string_view marker = "OMNI-QUERY:";

// Valid Python 2.7 and 3.x. Prints one line: the marker, then JSON.
constexpr std::string_view script = R"PY(
import json, os, platform, struct, sys
try:
    import sysconfig
except ImportError:
    sysconfig = None

def cv(name):
    try:
        return sysconfig.get_config_var(name)
    except Exception:
        return None

def full(info):
    v = '%d.%d.%d' % (info[0], info[1], info[2])
    if info[3] != 'final':
        v += {'alpha': 'a', 'beta': 'b', 'candidate': 'rc'}.get(info[3], info[3][0]) + str(info[4])
    return v

impl = getattr(sys, 'implementation', None)
if impl is not None:
    impl_name = impl.name
    impl_version = full(impl.version)
else:
    impl_name = platform.python_implementation().lower()
    impl_version = '0'

paths = {}
try:
    for k, v in sysconfig.get_paths().items():
        if k in ('purelib', 'platlib', 'scripts', 'include', 'stdlib'):
            paths[k] = v
except Exception:
    pass

glibc = ''
try:
    s = os.confstr('CS_GNU_LIBC_VERSION')
    if s and s.startswith('glibc '):
        glibc = s.split()[1]
except Exception:
    pass
if not glibc:
    try:
        lib, ver = platform.libc_ver()
        if lib == 'glibc':
            glibc = ver
    except Exception:
        pass

base_prefix = getattr(sys, 'base_prefix', getattr(sys, 'real_prefix', sys.prefix))
is_venv = sys.prefix != base_prefix or hasattr(sys, 'real_prefix')
stdlib = paths.get('stdlib', '')
managed = bool(stdlib) and not is_venv and os.path.isfile(os.path.join(stdlib, 'EXTERNALLY-MANAGED'))

markers = {
    'os_name': os.name,
    'sys_platform': sys.platform,
    'platform_machine': platform.machine(),
    'platform_python_implementation': platform.python_implementation(),
    'platform_release': platform.release(),
    'platform_system': platform.system(),
    'platform_version': platform.version(),
    'python_version': '%d.%d' % sys.version_info[:2],
    'python_full_version': platform.python_version(),
    'implementation_name': impl_name,
    'implementation_version': impl_version,
}

out = {
    'version': full(sys.version_info),
    'implementation': impl_name,
    'executable': sys.executable,
    'prefix': sys.prefix,
    'base_prefix': base_prefix,
    'exec_prefix': sys.exec_prefix,
    'paths': paths,
    'markers': markers,
    'abiflags': getattr(sys, 'abiflags', '') or '',
    'soabi': cv('SOABI') or '',
    'platform': sysconfig.get_platform() if sysconfig else '',
    'glibc': glibc,
    'pointer_bits': struct.calcsize('P') * 8,
    'free_threaded': cv('Py_GIL_DISABLED') == 1,
    'is_venv': is_venv,
    'externally_managed': managed,
}
sys.stdout.write('OMNI-QUERY:' + json.dumps(out, sort_keys=True) + '\n')
sys.stdout.flush()
)PY";

std::string excerpt(std::string_view text) {
    std::string out(text.substr(0, 120));
    for (char& c : out) {
        if (c == '\n' || c == '\r')
            c = ' ';
    }
    if (text.size() > 120)
        out += "...";
    return out.empty() ? "nothing" : fmt::format("'{}'", out);
}

Error broken(const std::filesystem::path& path, std::string detail) {
    return Error(ErrorCode::process,
                 fmt::format("interpreter '{}' could not be queried: {}", path.string(), detail));
}

}  // namespace

std::string_view query_script() {
    return script;
}

Result<InterpreterInfo> parse_query_output(std::string_view out,
                                           const std::filesystem::path& path) {
    const auto at = out.rfind(marker);
    if (at == std::string_view::npos)
        return std::unexpected(broken(path, "it printed " + excerpt(out)));
    std::string_view line = out.substr(at + marker.size());
    line = line.substr(0, line.find('\n'));
    const auto doc = nlohmann::json::parse(line, nullptr, false);
    if (doc.is_discarded())
        return std::unexpected(broken(path, "its answer is not JSON: " + excerpt(line)));
    auto info = info_from_json(doc);
    if (!info)
        return std::unexpected(broken(path, info.error().what()));
    info->path = path;
    return info;
}

Result<InterpreterInfo> query_interpreter(const std::filesystem::path& path,
                                          std::chrono::milliseconds timeout) {
    ProcessOptions options;
    // -E: no PYTHON* variables; -s: no user site. Both exist since 2.6.
    options.argv = {path.string(), "-E", "-s", "-c", std::string(script)};
    // With -c, sys.path[0] is the working directory: a json.py there would
    // run in the query. Nothing is looked up from "/".
    options.cwd = "/";
    options.stderr_mode = StreamMode::capture;
    options.capture_limit = 64 * 1024;
    options.timeout = timeout;
    options.new_process_group = true;
    ProcessResult result;
    try {
        result = run_process(options);
    } catch (const Error& e) {
        return std::unexpected(broken(path, e.what()));
    }
    if (!result.ok()) {
        std::string detail = result.describe();
        if (!result.err.empty())
            detail +=
                ": " +
                excerpt(result.err.substr(result.err.size() > 300 ? result.err.size() - 300 : 0));
        return std::unexpected(broken(path, detail));
    }
    return parse_query_output(result.out, path);
}

}  // namespace omni::python
