#include "omni/run/heal_memory.hpp"

#include <nlohmann/json.hpp>

#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::run {

namespace {
std::filesystem::path file_for(const Home& home, const std::string& sha) {
    return home.root() / "heals" / (sha + ".json");
}
}  // namespace

std::optional<HealMemory> recall_heal(const Home& home, const std::string& sha) {
    const auto file = file_for(home, sha);
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        return std::nullopt;
    const auto doc = nlohmann::json::parse(fs::read_file(file), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        logger().warn("ignoring damaged heal record {}", file.string());
        return std::nullopt;
    }
    return HealMemory{doc.value("interpreter", ""),
                      doc.value("requirements", std::vector<std::string>{})};
}

void remember_heal(const Home& home, const std::string& sha, const HealMemory& memory) {
    const auto file = file_for(home, sha);
    std::filesystem::create_directories(file.parent_path());
    const nlohmann::json doc = {{"interpreter", memory.interpreter},
                                {"requirements", memory.requirements}};
    fs::atomic_write(file, doc.dump(2) + "\n");
}

}  // namespace omni::run
