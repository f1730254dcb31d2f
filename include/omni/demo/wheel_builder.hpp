#pragma once
// Builds a pure-Python wheel from files held in memory: the demo packages
// are kept as sources and become wheels on first use. The output is
// byte-for-byte the same for the same input (fixed timestamps, sorted
// entries), so a rebuilt wheel has the same hash.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace omni::demo {

struct WheelSource {
    std::string name;     // as it should appear in METADATA, e.g. "omni-demo-greet"
    std::string version;  // normalized PEP 440
    std::string summary;
    std::string requires_python;                         // empty: none
    std::vector<std::string> requires_dist;              // PEP 508 strings
    std::map<std::string, std::string> files;            // path inside the wheel -> content
    std::map<std::string, std::string> console_scripts;  // name -> "module:function"
};

// "omni_demo_greet-1.0.0-py3-none-any.whl"
std::string wheel_filename(const WheelSource& source);

// Writes the wheel into `out_dir` (atomically) and returns its path.
std::filesystem::path build_wheel(const WheelSource& source, const std::filesystem::path& out_dir);

}  // namespace omni::demo
