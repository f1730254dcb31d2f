#pragma once
// Runs the omni binary as a child with its own OMNI_HOME, and finds the real
// interpreters of ~/.pyenv/versions.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "omni/util/process.hpp"
#include "support/temp_dir.hpp"

namespace omni::test {

// ~/.pyenv (or $PYENV_ROOT).
std::filesystem::path pyenv_root();

// The pyenv interpreter for "3.9" etc. When it is missing the test should
// stop: returns nullopt after a WARN, or FAILs when CI=true.
std::optional<std::filesystem::path> pyenv_python(const std::string& version);

// Whether something a test needs is here; when not, the test should stop:
// false after a WARN naming `what`, or a FAIL when CI=true.
bool have(bool present, const std::string& what);

class OmniHome {
  public:
    OmniHome();
    const std::filesystem::path& root() const { return home_; }
    std::filesystem::path bin(const std::string& name = "python") const {
        return home_ / "bin" / name;
    }

    // omni ARGS in `cwd` (default: a scratch dir) with extra environment.
    ProcessResult omni(const std::vector<std::string>& args,
                       const std::map<std::string, std::optional<std::string>>& env = {},
                       const std::filesystem::path& cwd = {}) const;
    // Runs any program with the same environment.
    ProcessResult run(const std::vector<std::string>& argv) const;
    const std::filesystem::path& scratch() const { return scratch_; }

  private:
    TempDir dir_;
    std::filesystem::path home_;
    std::filesystem::path scratch_;
};

}  // namespace omni::test
