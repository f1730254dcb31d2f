#pragma once
// Fake interpreters for unit tests: sh scripts that answer omni's query with
// canned JSON, count how often they are run, or misbehave.
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <sys/stat.h>

#include "support/temp_dir.hpp"

namespace omni::test {

inline std::string canned_query(const std::string& version, const std::string& prefix,
                                bool free_threaded = false) {
    return fmt::format(
        R"({{"version": "{0}", "implementation": "cpython", "executable": "{1}/bin/python", )"
        R"("prefix": "{1}", "base_prefix": "{1}", "exec_prefix": "{1}", )"
        R"("paths": {{"purelib": "{1}/lib/site-packages"}}, )"
        R"("markers": {{"sys_platform": "linux", "python_full_version": "{0}"}}, )"
        R"("abiflags": "", "soabi": "cpython-x", "platform": "linux-x86_64", "glibc": "2.36", )"
        R"("pointer_bits": 64, "free_threaded": {2}, "is_venv": false, "externally_managed": false}})",
        version, prefix, free_threaded ? "true" : "false");
}

// Writes an executable sh script at `file` that appends a line to
// `file`.count on every run and prints `body`'s output.
inline void write_script(const std::filesystem::path& file, const std::string& body) {
    write_text(file, fmt::format("#!/bin/sh\necho run >> '{}.count'\n{}\n", file.string(), body));
    ::chmod(file.c_str(), 0755);
}

inline void fake_python(const std::filesystem::path& file, const std::string& version,
                        bool free_threaded = false) {
    write_script(
        file, fmt::format(
                  "cat <<'JSON'\nsome noise from a sitecustomize\nOMNI-QUERY:{}\nJSON",
                  canned_query(version, file.parent_path().parent_path().string(), free_threaded)));
}

inline int run_count(const std::filesystem::path& file) {
    std::error_code ec;
    const auto counter = std::filesystem::path(file.string() + ".count");
    if (!std::filesystem::exists(counter, ec))
        return 0;
    int n = 0;
    for (char c : fs::read_file(counter))
        n += c == '\n' ? 1 : 0;
    return n;
}

}  // namespace omni::test
