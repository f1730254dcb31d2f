#pragma once
// Which distribution provides a top-level module, verified before anything
// is installed for a failed import. Installing by import name is a guess a
// typosquatter can register, so a name is only mapped when something proves
// it, in this order: a distribution installed here (its top_level.txt or
// RECORD), a wheel in the cache, PEP 794 Import-Name metadata of either, the
// table of known mismatches (data/import_names.txt), and last candidates on
// the index whose Import-Name metadata or wheel contents contain the module.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "omni/bubble/provision.hpp"

namespace omni::run {

struct ImportResolution {
    std::string module;
    std::string distribution;        // empty when nothing proved one
    std::string proof;               // what proved it
    std::vector<std::string> tried;  // every source asked, and what it said
    bool from_index = false;         // proved by an index candidate (new to this machine)

    bool verified() const { return !distribution.empty(); }
};

// The table of known mismatches: "markdown_it" -> "markdown-it-py".
std::optional<std::string> known_distribution(std::string_view module);
// How many entries the table has.
std::size_t known_distribution_count();

// The module names a METADATA text declares with Import-Name (PEP 794),
// top-level parts only.
std::vector<std::string> declared_import_names(std::string_view metadata);

// With `ask_index` false only this machine and the table are consulted.
ImportResolution resolve_import_name(const bubble::ProvisionContext& context,
                                     std::string_view module, bool ask_index);

}  // namespace omni::run
