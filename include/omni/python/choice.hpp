#pragma once
// Which interpreter the user has chosen, in pyenv's order: the --python
// option, then $OMNI_PYTHON, then the nearest .python-version, then the
// global choice (config key python.active, an interpreter path).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "omni/home/home.hpp"
#include "omni/python/registry.hpp"
#include "omni/python/request.hpp"

namespace omni::python {

inline constexpr std::string_view active_key = "python.active";
inline constexpr std::string_view version_file_name = ".python-version";

struct PythonChoice {
    enum class Origin { option, environment, version_file, global } origin;
    std::string request;         // a request or, for the global choice, a path
    std::filesystem::path file;  // the .python-version that gave it
    int line = 0;                // and the line of the value in it (1-based)
};

// Where a choice came from, for messages: "'/p/.python-version' line 2",
// "OMNI_PYTHON", "--python", "the global choice (python.active)".
std::string describe_origin(const PythonChoice& choice);

std::string_view to_string(PythonChoice::Origin origin);

struct ChoiceInputs {
    std::optional<std::string> option;       // --python
    std::optional<std::string> environment;  // $OMNI_PYTHON
    std::filesystem::path cwd;
};

// Nothing chosen anywhere: nullopt.
std::optional<PythonChoice> current_choice(const Home& home, const ChoiceInputs& inputs);

// The nearest .python-version in `dir` or a parent.
std::optional<std::filesystem::path> find_version_file(const std::filesystem::path& dir);
struct VersionFileEntry {
    std::string value;
    int line = 0;  // 1-based
};
// Its first non-empty, non-comment line's first word; nullopt when there is
// none. Only the first 64 KiB are read: the file is data from anywhere.
std::optional<VersionFileEntry> read_version_entry(const std::filesystem::path& file);
std::optional<std::string> read_version_file(const std::filesystem::path& file);
// The interpreter a choice selects (none: the best Python 3). A path is
// adopted only when it was typed as --python; from anywhere else it must be
// known already, and a relative path in a version file is relative to that
// file. Errors name where the value came from ("'…/.python-version' line 2").
Selection select_chosen(Registry& registry, const std::optional<PythonChoice>& choice);

// The version the nearest .python-version in `dir` or a parent asks for, for
// commands that act on a version rather than pick an interpreter (`omni
// python install` without arguments). A version file is data from anywhere:
// a value that does not parse, or names a path, is Error(invalid_input)
// naming the file and line, and nothing is run. No file, or one naming
// nothing, is Error(not_found).
struct VersionFileRequest {
    PythonRequest request;
    PythonChoice choice;  // origin version_file, with the file and line
};
VersionFileRequest version_file_request(const std::filesystem::path& dir);

void write_version_file(const std::filesystem::path& dir, std::string_view request);

}  // namespace omni::python
