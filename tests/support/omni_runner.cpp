#include "support/omni_runner.hpp"

#include <cstdlib>

#include <catch2/catch.hpp>

namespace omni::test {

namespace stdfs = std::filesystem;

stdfs::path pyenv_root() {
    if (const char* root = std::getenv("PYENV_ROOT"); root != nullptr && *root != '\0')
        return root;
    const char* home = std::getenv("HOME");
    return stdfs::path(home != nullptr ? home : "/root") / ".pyenv";
}

std::optional<stdfs::path> pyenv_python(const std::string& version) {
    const auto versions = pyenv_root() / "versions";
    std::error_code ec;
    for (const auto& entry : stdfs::directory_iterator(versions, ec)) {
        const auto name = entry.path().filename().string();
        if (name.starts_with(version + ".")) {
            const auto python = entry.path() / "bin" / ("python" + version);
            if (stdfs::exists(python, ec))
                return python;
        }
    }
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") {
        FAIL("Python " << version << " is missing from " << versions.string() << " (CI=true)");
    }
    WARN("SKIPPED: Python " << version << " is not in " << versions.string());
    return std::nullopt;
}

bool have(bool present, const std::string& what) {
    if (present)
        return true;
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") {
        FAIL(what << " (CI=true)");
    }
    WARN("SKIPPED: " << what);
    return false;
}

OmniHome::OmniHome() : home_(dir_ / "omni-home"), scratch_(dir_ / "work") {
    stdfs::create_directories(scratch_);
}

ProcessResult OmniHome::run(const std::vector<std::string>& argv) const {
    ProcessOptions options;
    options.argv = argv;
    options.cwd = scratch_;
    options.env = {{"OMNI_HOME", home_.string()}, {"PYENV_ROOT", pyenv_root().string()},
                   {"OMNI_PYTHON", std::nullopt}, {"VIRTUAL_ENV", std::nullopt},
                   {"PYTHONPATH", std::nullopt},  {"PYTHONHOME", std::nullopt}};
    options.timeout = std::chrono::seconds(120);
    return run_process(options);
}

ProcessResult OmniHome::omni(const std::vector<std::string>& args,
                             const std::map<std::string, std::optional<std::string>>& env,
                             const stdfs::path& cwd) const {
    ProcessOptions options;
    options.argv = {OMNI_BINARY};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.cwd = cwd.empty() ? scratch_ : cwd;
    options.env = {{"OMNI_HOME", home_.string()},
                   {"PYENV_ROOT", pyenv_root().string()},
                   {"OMNI_PYTHON", std::nullopt},
                   {"VIRTUAL_ENV", std::nullopt},
                   {"UV_PYTHON", std::nullopt},
                   // The machine's pip and uv settings stay out of the tests.
                   {"PIP_CONFIG_FILE", "/dev/null"}};
    for (const char* name :
         {"PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_NO_INDEX", "PIP_PRE",
          "PIP_REQUIRE_HASHES", "PIP_CERT", "PIP_PROXY", "PIP_UPGRADE_STRATEGY", "UV_INDEX_URL",
          "UV_DEFAULT_INDEX", "UV_EXTRA_INDEX_URL", "UV_INDEX", "UV_FIND_LINKS", "UV_NO_INDEX",
          "UV_OFFLINE", "UV_LINK_MODE", "UV_REQUIRE_HASHES"})
        options.env[name] = std::nullopt;
    for (const auto& [key, value] : env)
        options.env[key] = value;
    options.timeout = std::chrono::seconds(120);
    return run_process(options);
}

}  // namespace omni::test
