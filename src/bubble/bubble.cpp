#include "omni/bubble/bubble.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omni/util/fs.hpp"

namespace omni::bubble {

namespace {
constexpr int schema_version = 1;
}

std::string bubble_dir_name(std::string_view name, std::string_view version,
                            std::string_view variant) {
    if (variant.empty())
        return fmt::format("{}-{}", name, version);
    return fmt::format("{}-{}-{}", name, version, variant);
}

std::string to_json_text(const BubbleInfo& info) {
    nlohmann::json dists = nlohmann::json::array();
    for (const auto& d : info.distributions)
        dists.push_back({{"name", d.name},
                         {"version", d.version},
                         {"import_names", d.import_names},
                         {"files", d.files},
                         {"wheel_sha256", d.wheel_sha256}});
    const nlohmann::json doc = {{"schema_version", schema_version},
                                {"env_key", info.env_key},
                                {"name", info.name},
                                {"version", info.version},
                                {"requirement", info.requirement},
                                {"variant", info.variant},
                                {"created", info.created},
                                {"distributions", dists}};
    return doc.dump(2) + "\n";
}

Result<BubbleInfo> read_bubble(const std::filesystem::path& dir) {
    const auto file = dir / "bubble.json";
    try {
        const auto doc = nlohmann::json::parse(fs::read_file(file));
        if (doc.value("schema_version", 0) != schema_version)
            return std::unexpected(Error(ErrorCode::corrupt_state,
                                         fmt::format("'{}' has an unknown schema", file.string())));
        BubbleInfo info;
        info.env_key = doc.at("env_key").get<std::string>();
        info.name = doc.at("name").get<std::string>();
        info.version = doc.at("version").get<std::string>();
        info.requirement = doc.value("requirement", "");
        info.variant = doc.value("variant", "");
        info.created = doc.value("created", "");
        for (const auto& d : doc.at("distributions")) {
            Distribution dist;
            dist.name = d.at("name").get<std::string>();
            dist.version = d.at("version").get<std::string>();
            dist.import_names = d.value("import_names", std::vector<std::string>{});
            dist.files = d.value("files", std::size_t{0});
            dist.wheel_sha256 = d.value("wheel_sha256", "");
            info.distributions.push_back(std::move(dist));
        }
        info.path = dir;
        return info;
    } catch (const Error& e) {
        return std::unexpected(e);
    } catch (const std::exception& e) {
        return std::unexpected(
            Error(ErrorCode::corrupt_state,
                  fmt::format("bubble file '{}' is damaged: {}", file.string(), e.what()),
                  "remove the bubble with 'omni bubble remove'"));
    }
}

}  // namespace omni::bubble
