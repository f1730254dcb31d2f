#pragma once
// Which interpreter the user has chosen, in pyenv's order: the --python
// option, then $OMNI_PYTHON, then the nearest .python-version, then the
// global choice (config key python.active, an interpreter path).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "omni/home/home.hpp"

namespace omni::python {

inline constexpr std::string_view active_key = "python.active";
inline constexpr std::string_view version_file_name = ".python-version";

struct PythonChoice {
    enum class Origin { option, environment, version_file, global } origin;
    std::string request;         // a request or, for the global choice, a path
    std::filesystem::path file;  // the .python-version that gave it
};

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
// Its first non-empty, non-comment line; nullopt when there is none.
std::optional<std::string> read_version_file(const std::filesystem::path& file);
void write_version_file(const std::filesystem::path& dir, std::string_view request);

}  // namespace omni::python
