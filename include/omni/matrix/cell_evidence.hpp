#pragma once
// Making a cell import the cell's version, and proving it did: every Python
// process the cell starts loads a sitecustomize (src/matrix/cell_site.py)
// that imports the tested package's top-level modules from the cell's bubble
// only, and records at exit what it imported. The records are read back and
// checked here.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "omni/matrix/report.hpp"

namespace omni::matrix {

struct CellHook {
    std::string distribution;          // the tested package, as the cell names it
    std::vector<std::string> modules;  // its top-level modules (checked identifiers)
    std::filesystem::path bubble;      // the cell's bubble of that package
    std::filesystem::path dir;         // where the hook and the evidence live

    std::filesystem::path evidence_file() const { return dir / "evidence.jsonl"; }
};

// The identifiers among `import_names` (a wheel's top-level names are
// untrusted text: anything else is dropped); when none is left, the
// distribution's name as a module ("markdown-it-py" -> "markdown_it_py").
std::vector<std::string> hook_modules(const std::vector<std::string>& import_names,
                                      std::string_view distribution);

// Writes the sitecustomize into hook.dir and returns the variables a cell's environment needs:
// PYTHONPATH with the hook directory in front of `pythonpath`, PYTEST_PLUGINS naming the hook's
// pytest plugin (before the user's own: it imports the tested package before pytest collects, so
// that pytest 8.3+ never loads the checkout's copy as a test's parent package), and the OMNI_CELL_*
// settings the hook reads.
std::map<std::string, std::string> install_hook(const CellHook& hook,
                                                const std::string& pythonpath);

// What the cell's processes recorded, checked against the cell's version and
// bubble. Unparsable lines are ignored; no record gives an absent evidence.
CellEvidence read_evidence(const CellHook& hook, std::string_view cell_version);

}  // namespace omni::matrix
