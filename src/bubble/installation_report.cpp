#include "omni/bubble/installation_report.hpp"

#include <nlohmann/json.hpp>

namespace omni::bubble {

namespace {

// PEP 566's JSON form of core metadata, for the fields omni reads.
nlohmann::json metadata_json(const PlannedPackage& p) {
    nlohmann::json out = {{"name", p.name}, {"version", p.version}};
    if (!p.metadata)
        return out;
    const auto& m = *p.metadata;
    out["metadata_version"] = m.metadata_version;
    out["name"] = m.name;
    out["version"] = m.version.to_string();
    const auto text = [&out](const char* key, const std::string& value) {
        if (!value.empty())
            out[key] = value;
    };
    text("summary", m.summary);
    text("description_content_type", m.description_content_type);
    text("keywords", m.keywords);
    text("home_page", m.home_page);
    text("author", m.author);
    text("author_email", m.author_email);
    text("maintainer", m.maintainer);
    text("maintainer_email", m.maintainer_email);
    text("license", m.license);
    text("license_expression", m.license_expression);
    if (m.requires_python)
        out["requires_python"] = m.requires_python->to_string();
    if (!m.requires_dist.empty()) {
        auto& deps = out["requires_dist"] = nlohmann::json::array();
        for (const auto& r : m.requires_dist)
            deps.push_back(r.to_string());
    }
    if (!m.provides_extra.empty())
        out["provides_extra"] = m.provides_extra;
    if (!m.classifiers.empty())
        out["classifier"] = m.classifiers;
    if (!m.project_urls.empty()) {
        auto& urls = out["project_url"] = nlohmann::json::array();
        for (const auto& [label, url] : m.project_urls)
            urls.push_back(label + ", " + url);
    }
    if (!m.dynamic.empty())
        out["dynamic"] = m.dynamic;
    return out;
}

}  // namespace

std::string installation_report(const std::vector<PlannedPackage>& plan,
                                const python::InterpreterInfo& interpreter) {
    nlohmann::json install = nlohmann::json::array();
    for (const auto& p : plan) {
        nlohmann::json download = {{"url", p.wheel_url}};
        nlohmann::json archive = nlohmann::json::object();
        if (!p.sha256.empty()) {
            archive["hash"] = "sha256=" + p.sha256;
            archive["hashes"] = {{"sha256", p.sha256}};
        }
        download["archive_info"] = archive;
        nlohmann::json entry = {{"download_info", download},
                                {"is_direct", p.direct},
                                {"is_yanked", p.yanked},
                                {"requested", p.requested},
                                {"metadata", metadata_json(p)}};
        if (!p.requested_extras.empty())
            entry["requested_extras"] = p.requested_extras;
        install.push_back(std::move(entry));
    }
    nlohmann::json env = nlohmann::json::object();
    for (const auto& [k, v] : interpreter.markers)
        env[k] = v;
    return nlohmann::json{{"version", "1"},
                          {"pip_version", "omni " OMNI_VERSION},
                          {"omni_version", OMNI_VERSION},
                          {"install", install},
                          {"environment", env}}
               .dump(2) +
           "\n";
}

}  // namespace omni::bubble
