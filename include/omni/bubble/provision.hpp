#pragma once
// From requirements to installed packages: resolve against the indexes for
// one interpreter, then install into its main env when that changes no
// installed version ("stable-main"), or else into bubbles, one per
// requested project, each holding its whole resolved closure.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "omni/bubble/store.hpp"
#include "omni/home/home.hpp"
#include "omni/index/index_client.hpp"
#include "omni/install/env_transaction.hpp"
#include "omni/install/installed.hpp"
#include "omni/python/interpreter.hpp"
#include "omni/standards/metadata.hpp"

namespace omni::bubble {

// What provisioning is doing, for whoever shows progress; the library never
// prints. Sent from whichever thread did the work, one call at a time.
struct ProvisionStep {
    enum class Kind {
        unpacking,  // wheels unpacked into the cache and checked: done of total
        building,   // a wheel built from an sdist: subject "name version"
        bubble,     // a bubble being built: subject the requirement
    };
    Kind kind = Kind::unpacking;
    std::string subject;
    std::size_t done = 0;
    std::size_t total = 0;
    bool finished = false;  // the step is over (for building and bubble)
};
using ProvisionSink = std::function<void(const ProvisionStep&)>;

// Reports a building or bubble step as begun now and finished when it goes
// out of scope, however the step ends.
class ReportedStep {
  public:
    ReportedStep(const ProvisionSink& sink, ProvisionStep::Kind kind, std::string subject);
    ~ReportedStep();
    ReportedStep(const ReportedStep&) = delete;
    ReportedStep& operator=(const ReportedStep&) = delete;

  private:
    const ProvisionSink& sink_;
    ProvisionStep::Kind kind_;
    std::string subject_;
};

struct ProvisionContext {
    Home home;
    const IndexClient& index;
    python::InterpreterInfo interpreter;
    std::filesystem::path env_root;  // the target env (main env or a venv)
    ProvisionSink progress = {};     // empty: nobody is told
};

// lib/pythonX.Y/site-packages of the context's env.
std::filesystem::path site_packages(const ProvisionContext& context);

// How distributions without a usable wheel are handled (pip's flags).
struct BuildOptions {
    std::vector<std::string> no_binary;    // names or ":all:": build from the sdist
    std::vector<std::string> only_binary;  // names or ":all:": never build
    bool isolation = true;                 // false: --no-build-isolation
};

struct PlanOptions {
    std::vector<std::string> constraints;  // -c lines
    bool prereleases = false;
    bool prefer_installed = true;
    // -U (only-if-needed): these projects (normalized names) are not held at
    // their installed version; the rest still are.
    std::vector<std::string> upgrade;
    bool no_deps = false;    // only what was asked for (pip's --no-deps)
    bool reinstall = false;  // install again what is already there
    bool compile = false;    // byte-compile what was installed into the env
    bool lowest = false;     // every dependency at its oldest allowed version
    std::string link_mode;   // --link-mode; empty: OMNI_LINK_MODE, install.link-mode, auto
    BuildOptions build;
    // Hash-checking mode (pip's --require-hashes, or any --hash in a
    // requirements file): every distribution of the plan, dependencies too,
    // must be pinned with == and match one of its "sha256:<hex>" values,
    // checked while it downloads. `hashes` is by normalized name.
    bool require_hashes = false;
    std::map<std::string, std::vector<std::string>> hashes;
    // Keep each planned package's METADATA (for --report).
    bool with_metadata = false;
};

struct PlannedPackage {
    std::string name;     // normalized
    std::string version;  // normalized
    std::string wheel;    // file chosen for the interpreter: a wheel, or an sdist to build
    std::string wheel_url;
    std::optional<std::string> installed;  // the version in the env now, if any
    bool requested = false;
    // For pip's installation report (`--report`): the file's hash and yank,
    // the extras asked for, and its METADATA (filled with with_metadata).
    std::string sha256;
    bool yanked = false;
    bool direct = false;  // a wheel file or URL given by the user, not a resolved candidate
    std::vector<std::string> requested_extras;
    std::shared_ptr<const standards::CoreMetadata> metadata;
};

std::vector<PlannedPackage> plan_install(const ProvisionContext& context,
                                         const std::vector<std::string>& requirements,
                                         const PlanOptions& options = {});

enum class Placement { stable_main, main, bubble };

struct InstallOutcome {
    bool in_bubbles = false;
    std::vector<PlannedPackage> installed;  // into the env
    std::vector<PlannedPackage> unchanged;  // already there
    std::vector<BubbleInfo> bubbles;
    std::string why_bubbles;               // "rich 13.4.2 would replace 13.7.1 in the main env"
    std::vector<PlannedPackage> resolved;  // the one resolution everything came from
};

InstallOutcome install_requirements(const ProvisionContext& context,
                                    const std::vector<std::string>& requirements,
                                    Placement placement, const PlanOptions& options = {});

// An exact pin ("rich==13.4.2") that is already here, found without any
// index access: the main env's own copy, or a bubble of the store.
struct LocalPin {
    bool in_main_env = false;          // the env holds that version
    std::optional<BubbleInfo> bubble;  // else the store's bubble of it
};
std::optional<LocalPin> find_local_pin(const ProvisionContext& context,
                                       const std::string& requirement);

// The bubble for one requirement (built when missing), resolved on its own.
EnsureResult ensure_bubble(const ProvisionContext& context, const std::string& requirement,
                           const PlanOptions& options = {});

// omni doctor --repair for a damaged bubble: its closure (every distribution
// at the version it has) fetched and verified again and installed into a new
// copy that replaces the bubble in one step (BubbleStore::replace); refused
// (Error(conflict)) while a running command holds it.
BubbleInfo repair_bubble(const ProvisionContext& context, const BubbleInfo& bubble);

// Local wheel files straight into the env (no resolution), in one change of
// the env that also replaces installed copies of the same projects. Each
// wheel gets the direct_url.json given for it, or one for the file.
std::vector<PlannedPackage> install_wheel_files(const ProvisionContext& context,
                                                const std::vector<std::filesystem::path>& wheels,
                                                const std::vector<std::string>& direct_urls = {},
                                                const std::string& link_mode = {});

// Local wheel files into the env, checked as index candidates are: their
// tags against the interpreter's, their Requires-Python against its version
// (Error(invalid_input) naming the file). Their dependencies are resolved
// and installed first unless options.no_deps; those land in `dependencies`.
std::vector<PlannedPackage> install_checked_wheels(
    const ProvisionContext& context, const std::vector<std::filesystem::path>& wheels,
    const PlanOptions& options = {}, std::vector<PlannedPackage>* dependencies = nullptr);

// Error(invalid_input) when `metadata` (of `what`) requires another Python
// than the context's interpreter.
void check_requires_python(const ProvisionContext& context, const standards::CoreMetadata& metadata,
                           const std::string& what);
// One wheel into the env with the given direct_url.json (PEP 610).
PlannedPackage install_wheel_file(const ProvisionContext& context,
                                  const std::filesystem::path& wheel, const std::string& direct_url,
                                  const std::string& link_mode = {});

struct UninstallOutcome {
    std::vector<install::InstalledDist> removed;  // phantom: a dist-info without RECORD
    std::vector<std::string> refused;             // RECORD lines outside the env, kept
};
// Removes the named distributions from the env in one change. A name that is
// not installed is Error(not_found) before anything is removed.
UninstallOutcome uninstall_packages(const ProvisionContext& context,
                                    const std::vector<std::string>& names);

struct RepairOutcome {
    install::Recovery recovered = install::Recovery::none;  // an interrupted change
    std::vector<install::InstalledDist> phantoms_removed;
    std::vector<std::string> reinstalled;   // "name version"
    std::vector<std::string> not_repaired;  // what is left, with why
};
// omni doctor --repair for one env (`library` is its site-packages):
// finishes or undoes an interrupted change, removes dist-info without
// RECORD, and reinstalls damaged distributions from the cache or the index
// when `reinstall_with` is the context of this env (else they are listed).
RepairOutcome repair_env(const std::filesystem::path& env_root,
                         const std::filesystem::path& library,
                         const ProvisionContext* reinstall_with);

// How a directory outside any env holds what is installed into it.
enum class DirectoryLayout {
    flat,    // importable at its root, scripts in bin/ (pip's --target; build envs)
    prefix,  // lib/pythonX.Y/site-packages and bin/ below it (pip's --prefix)
};

struct DirectoryInstall {
    std::vector<PlannedPackage> installed;
    std::vector<std::string> kept;  // "name version" the directory had and keeps
};

// `requirements` resolved for the context's interpreter (wheels only, so a
// build never waits on another build) and installed into `root`, as one
// transaction under root's own lock (like an env's). What `root` holds
// already stays unless `replace`.
DirectoryInstall install_into_directory(const ProvisionContext& context,
                                        const std::vector<std::string>& requirements,
                                        const std::filesystem::path& root,
                                        DirectoryLayout layout = DirectoryLayout::flat,
                                        bool replace = false);

}  // namespace omni::bubble
