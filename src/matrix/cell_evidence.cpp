#include "omni/matrix/cell_evidence.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "omni/matrix_cell_site_py.hpp"
#include "omni/standards/version.hpp"
#include "omni/util/fs.hpp"

namespace omni::matrix {

namespace stdfs = std::filesystem;

namespace {

bool is_identifier(std::string_view name) {
    if (name.empty() || name.size() > 200)
        return false;
    const auto head = static_cast<unsigned char>(name.front());
    if (!(std::isalpha(head) || head == '_'))
        return false;
    for (const char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
            return false;
    return true;
}

bool same_version(std::string_view reported, std::string_view expected) {
    const auto a = standards::Version::parse(reported);
    const auto b = standards::Version::parse(expected);
    return a && b ? *a == *b : reported == expected;
}

bool inside(const stdfs::path& file, const stdfs::path& dir) {
    std::error_code ec;
    const auto f = stdfs::weakly_canonical(file, ec);
    const auto d = stdfs::weakly_canonical(dir, ec);
    const auto rel = f.lexically_relative(d);
    return !ec && !rel.empty() && *rel.begin() != "..";
}

}  // namespace

std::vector<std::string> hook_modules(const std::vector<std::string>& import_names,
                                      std::string_view distribution) {
    std::vector<std::string> out;
    for (const auto& name : import_names)
        if (is_identifier(name) && std::find(out.begin(), out.end(), name) == out.end())
            out.push_back(name);
    if (out.empty()) {
        std::string guess(distribution);
        for (auto& c : guess)
            if (c == '-' || c == '.')
                c = '_';
        if (is_identifier(guess))
            out.push_back(guess);
    }
    return out;
}

std::map<std::string, std::string> install_hook(const CellHook& hook,
                                                const std::string& pythonpath) {
    stdfs::create_directories(hook.dir);
    fs::atomic_write(hook.dir / "sitecustomize.py", matrix_cell_site_py);
    std::error_code ec;
    stdfs::remove(hook.evidence_file(), ec);
    // pytest loads the hook's plugin (a module the sitecustomize makes),
    // besides any the user's environment names.
    const char* plugins = std::getenv("PYTEST_PLUGINS");
    return {
        {"PYTHONPATH", hook.dir.string() + (pythonpath.empty() ? "" : ":" + pythonpath)},
        {"PYTEST_PLUGINS",
         std::string("omni_cell_pytest") + (plugins && *plugins ? std::string(",") + plugins : "")},
        {"OMNI_CELL_MODULES", fmt::format("{}", fmt::join(hook.modules, ","))},
        {"OMNI_CELL_BUBBLE", hook.bubble.string()},
        {"OMNI_CELL_DISTRIBUTION", hook.distribution},
        {"OMNI_CELL_EVIDENCE", hook.evidence_file().string()},
    };
}

CellEvidence read_evidence(const CellHook& hook, std::string_view cell_version) {
    CellEvidence evidence;
    std::error_code ec;
    if (!stdfs::is_regular_file(hook.evidence_file(), ec))
        return evidence;
    const auto text = fs::read_file(hook.evidence_file());
    bool shown_mismatch = false;
    evidence.matches = true;
    evidence.from_bubble = true;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        const auto record = nlohmann::json::parse(text.substr(start, end - start), nullptr, false);
        start = end + 1;
        if (!record.is_object())
            continue;
        const auto string_of = [&](const char* key) {
            const auto it = record.find(key);
            return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
        };
        const auto module = string_of("module");
        if (std::find(hook.modules.begin(), hook.modules.end(), module) == hook.modules.end())
            continue;
        const stdfs::path file = string_of("file");
        const auto version = string_of("version");
        const bool from_bubble = !file.empty() && inside(file, hook.bubble);
        const bool matches = from_bubble && same_version(version, cell_version);
        ++evidence.processes;
        evidence.from_bubble = evidence.from_bubble && from_bubble;
        evidence.matches = evidence.matches && matches;
        // The record shown is the first one, or the first that does not match.
        if (evidence.processes == 1 || (!matches && !shown_mismatch)) {
            evidence.module = module;
            evidence.version = version;
            evidence.file = file;
            evidence.via = string_of("via");
            shown_mismatch = !matches;
        }
    }
    if (evidence.processes == 0)
        return CellEvidence{};
    return evidence;
}

}  // namespace omni::matrix
