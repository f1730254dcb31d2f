#include "omni/lock/freeze.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "omni/index/url.hpp"
#include "omni/install/installed.hpp"
#include "omni/standards/name.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"

namespace omni::lock {

namespace stdfs = std::filesystem;

namespace {

// The Name header of METADATA: only the headers are read, the file is untrusted.
std::string metadata_name(const stdfs::path& dist_info) {
    std::error_code ec;
    if (!stdfs::is_regular_file(dist_info / "METADATA", ec))
        return {};
    const auto text = fs::read_file(dist_info / "METADATA");
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string::npos)
            end = text.size();
        auto line = std::string_view(text).substr(pos, end - pos);
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        if (line.empty())
            break;
        if (line.size() > 5 && (line.substr(0, 5) == "Name:" || line.substr(0, 5) == "name:")) {
            auto value = line.substr(5);
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
                value.remove_prefix(1);
            while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
                value.remove_suffix(1);
            return std::string(value);
        }
        pos = end + 1;
    }
    return {};
}

void read_direct_url(const stdfs::path& dist_info, EnvDist& dist) {
    std::error_code ec;
    const auto file = dist_info / "direct_url.json";
    if (!stdfs::is_regular_file(file, ec))
        return;
    const auto doc = nlohmann::json::parse(fs::read_file(file), nullptr, false);
    if (!doc.is_object() || !doc.contains("url") || !doc["url"].is_string()) {
        logger().warn("{}: not a readable direct_url.json; frozen as name==version", file.string());
        return;
    }
    dist.direct_url = doc["url"].get<std::string>();
    if (doc.contains("subdirectory") && doc["subdirectory"].is_string())
        dist.subdirectory = doc["subdirectory"].get<std::string>();
    if (const auto dir = doc.find("dir_info"); dir != doc.end() && dir->is_object()) {
        const auto e = dir->find("editable");
        dist.editable = e != dir->end() && e->is_boolean() && e->get<bool>();
        if (dist.editable && is_file_url(dist.direct_url))
            dist.editable_dir = file_url_to_path(dist.direct_url);
    }
    if (const auto archive = doc.find("archive_info");
        archive != doc.end() && archive->is_object()) {
        if (const auto h = archive->find("hash"); h != archive->end() && h->is_string())
            dist.direct_hash = h->get<std::string>();
        else if (const auto hs = archive->find("hashes"); hs != archive->end() && hs->is_object())
            if (const auto s = hs->find("sha256"); s != hs->end() && s->is_string())
                dist.direct_hash = "sha256=" + s->get<std::string>();
    }
    if (const auto vcs = doc.find("vcs_info"); vcs != doc.end() && vcs->is_object()) {
        if (const auto v = vcs->find("vcs"); v != vcs->end() && v->is_string())
            dist.vcs = v->get<std::string>();
        if (const auto c = vcs->find("commit_id"); c != vcs->end() && c->is_string())
            dist.vcs_commit = c->get<std::string>();
    }
}

// A direct reference as pip writes it (PEP 440/508 "name @ url").
std::string direct_reference(const EnvDist& dist) {
    std::string url = dist.direct_url;
    if (!dist.vcs.empty()) {
        url = dist.vcs + "+" + url;
        if (!dist.vcs_commit.empty())
            url += "@" + dist.vcs_commit;
    }
    std::vector<std::string> fragments;
    if (!dist.direct_hash.empty())
        fragments.push_back(dist.direct_hash);
    if (!dist.subdirectory.empty())
        fragments.push_back("subdirectory=" + dist.subdirectory);
    if (!fragments.empty())
        url += "#" + fmt::format("{}", fmt::join(fragments, "&"));
    return dist.name + " @ " + url;
}

}  // namespace

std::vector<EnvDist> read_env(const stdfs::path& library) {
    std::vector<EnvDist> out;
    for (const auto& installed : install::list_installed(library)) {
        EnvDist dist;
        dist.normalized = installed.name;
        dist.version = installed.version;
        dist.name = metadata_name(installed.dist_info);
        if (dist.name.empty() || standards::normalize_name(dist.name) != installed.name)
            dist.name = installed.name;
        read_direct_url(installed.dist_info, dist);
        out.push_back(std::move(dist));
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.normalized < b.normalized; });
    return out;
}

bool hidden_by_freeze(const EnvDist& dist, const FreezeOptions& options) {
    if (options.all)
        return false;
    if (dist.normalized == "pip")
        return true;
    if (options.python_minor < 12)
        return dist.normalized == "setuptools" || dist.normalized == "wheel" ||
               dist.normalized == "distribute";
    return false;
}

std::vector<std::string> freeze_lines(const std::vector<EnvDist>& dists,
                                      const FreezeOptions& options) {
    std::vector<const EnvDist*> shown;
    for (const auto& d : dists)
        if (!hidden_by_freeze(d, options))
            shown.push_back(&d);
    const auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return s;
    };
    std::stable_sort(shown.begin(), shown.end(),
                     [&](const auto* a, const auto* b) { return lower(a->name) < lower(b->name); });
    std::vector<std::string> lines;
    for (const auto* d : shown) {
        if (d->editable && d->vcs.empty()) {
            lines.push_back(fmt::format("# Editable install with no version control ({}=={})",
                                        d->name, d->version));
            lines.push_back("-e " +
                            (d->editable_dir.empty() ? d->direct_url : d->editable_dir.string()));
        } else if (d->editable) {
            lines.push_back("-e " + d->vcs + "+" + d->direct_url + "@" + d->vcs_commit +
                            "#egg=" + d->name);
        } else if (!d->direct_url.empty()) {
            lines.push_back(direct_reference(*d));
        } else {
            lines.push_back(d->name + "==" + d->version);
        }
    }
    return lines;
}

std::vector<std::string> freeze_bubble_lines(const std::vector<bubble::BubbleInfo>& bubbles) {
    std::vector<std::string> lines;
    std::string env;
    for (const auto& b : bubbles) {
        if (b.env_key != env) {
            env = b.env_key;
            lines.push_back("# bubbles of " + env + " (side by side; not for pip)");
        }
        std::string head = "# bubble " + b.requirement;
        if (!b.variant.empty())
            head += " (" + b.variant + ")";
        lines.push_back(head + ":");
        auto dists = b.distributions;
        std::sort(dists.begin(), dists.end(),
                  [](const auto& x, const auto& y) { return x.name < y.name; });
        for (const auto& d : dists)
            lines.push_back("#   " + d.name + "==" + d.version);
    }
    return lines;
}

std::string list_columns(const std::vector<EnvDist>& dists) {
    const bool editable =
        std::any_of(dists.begin(), dists.end(), [](const auto& d) { return d.editable; });
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"Package", "Version"});
    if (editable)
        rows[0].push_back("Editable project location");
    for (const auto& d : dists) {
        rows.push_back({d.name, d.version});
        if (editable)
            rows.back().push_back(d.editable ? d.editable_dir.string() : "");
    }
    std::vector<std::size_t> widths(rows[0].size(), 0);
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    const auto join = [&](const std::vector<std::string>& row) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i)
                line += ' ';
            line += row[i];
            line.append(widths[i] - row[i].size(), ' ');
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        return line + "\n";
    };
    std::string out = join(rows[0]);
    std::vector<std::string> dashes;
    for (auto w : widths)
        dashes.emplace_back(w, '-');
    out += join(dashes);
    for (std::size_t i = 1; i < rows.size(); ++i)
        out += join(rows[i]);
    return out;
}

std::string list_json(const std::vector<EnvDist>& dists) {
    // As Python's json.dumps writes it, which is what pip prints.
    const auto str = [](const std::string& s) { return nlohmann::json(s).dump(); };
    std::string out = "[";
    for (const auto& d : dists) {
        if (out.size() > 1)
            out += ", ";
        out += "{\"name\": " + str(d.name) + ", \"version\": " + str(d.version);
        if (d.editable)
            out += ", \"editable_project_location\": " + str(d.editable_dir.string());
        out += "}";
    }
    return out + "]";
}

std::vector<std::string> list_freeze_lines(const std::vector<EnvDist>& dists) {
    std::vector<std::string> lines;
    for (const auto& d : dists)
        lines.push_back(d.name + "==" + d.version);
    return lines;
}

}  // namespace omni::lock
