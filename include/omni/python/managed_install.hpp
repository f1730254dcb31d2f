#pragma once
// Managed interpreters: python-build-standalone builds downloaded into
// $OMNI_HOME/interpreters/<impl>-<version>-<os>-<arch>-<libc>/, where
// discovery finds them as Source::managed. An install is downloaded
// (sha256-checked) and extracted under staging/, its interpreter is run,
// and only then is it published with one rename, single-flight under
// locks/python-<name>.lock: two processes installing the same build give one
// install, the second reuses the first's.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/home/home.hpp"
#include "omni/index/transport.hpp"
#include "omni/python/catalogue.hpp"
#include "omni/python/registry.hpp"
#include "omni/python/request.hpp"

namespace omni::python {

inline constexpr std::string_view mirror_key = "python.mirror";
inline constexpr std::string_view auto_install_key = "python.auto-install";

struct InstallProgress {
    enum class Phase { downloading, extracting, checking, publishing } phase;
    const Download* download = nullptr;
    std::uint64_t bytes = 0;  // downloading: received so far
    // downloading: the catalogue's size, else the response's Content-Length,
    // else 0
    std::uint64_t total = 0;
};

struct InstallOptions {
    std::string mirror;  // replaces pbs_download_base; empty: the catalogue's URLs
    bool reinstall = false;
    TransportOptions transport;
    // Called on the installing thread (during the download at most every
    // 100 ms).
    std::function<void(const InstallProgress&)> progress;
    std::chrono::milliseconds lock_timeout{std::chrono::minutes(10)};
    Platform platform = Platform::current();
};

struct InstallOutcome {
    Download download;
    std::filesystem::path root;    // interpreters/<install_name>
    std::filesystem::path python;  // root/bin/python3
    enum class Action { installed, reinstalled, already_installed } action = Action::installed;
};

// The mirror in effect: `option` (--mirror), else $OMNI_PYTHON_MIRROR, else
// config python.mirror, else none.
std::string resolve_mirror(const Home& home, std::string_view option);

// Installs one catalogue entry. Throws Error: network / not_found for the
// download, integrity for a checksum mismatch, a hostile or damaged archive
// or an interpreter that does not run; nothing is left in staging/ or
// interpreters/ then.
InstallOutcome install_download(const Home& home, const Download& download,
                                const InstallOptions& options);
// Selects the best download for `request` from the catalogue in effect and
// installs it.
InstallOutcome install_python(const Home& home, const PythonRequest& request,
                              const InstallOptions& options);

// Removes every managed interpreter the request matches (and the main env
// made for it), then refreshes the registry. Returns the directories removed.
// A request that matches only interpreters omni did not install is
// Error(invalid_input); one that matches nothing is Error(not_found).
std::vector<std::filesystem::path> uninstall_python(const Home& home, Registry& registry,
                                                    const PythonRequest& request);

// Whether `omni swap python X` may install a missing X.
enum class AutoInstall { yes, ask, no };
struct AutoInstallInputs {
    bool yes_flag = false;     // --yes
    bool interactive = false;  // stdin and stdout are a terminal
    bool ci = false;           // CI=true
};
// --yes, then config python.auto-install (true, false or ask), then: off in
// CI, ask on a terminal, off otherwise. A bad config value is
// Error(invalid_input) naming the key.
AutoInstall auto_install_policy(const Home& home, const AutoInstallInputs& inputs);

}  // namespace omni::python
