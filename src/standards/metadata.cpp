#include "omni/standards/metadata.hpp"

#include <algorithm>

#include "omni/standards/name.hpp"
#include "standards/text.hpp"

namespace omni::standards {

namespace {

constexpr std::string_view known_versions[] = {"1.0", "1.1", "1.2", "2.0",
                                               "2.1", "2.2", "2.3", "2.4"};

Error line_error(std::string_view field, std::size_t line, std::string_view value, std::size_t pos,
                 std::string_view reason) {
    return parse_error(std::string(field) + " (line " + std::to_string(line) + ")", value, pos,
                       reason);
}

std::string_view trim(std::string_view s) {
    return text::strip(s);
}

}  // namespace

Result<CoreMetadata> CoreMetadata::parse(std::string_view input) {
    CoreMetadata m;
    struct Header {
        std::string name;
        std::string value;
        std::size_t line;
    };
    std::vector<Header> headers;
    std::size_t pos = 0;
    std::size_t line_no = 0;
    std::string_view body;
    bool in_body = false;
    while (pos < input.size()) {
        std::size_t end = input.find('\n', pos);
        if (end == std::string_view::npos)
            end = input.size();
        std::string_view line = input.substr(pos, end - pos);
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        ++line_no;
        const std::size_t next = std::min(end + 1, input.size());
        if (line.empty()) {
            body = input.substr(next);
            in_body = true;
            break;
        }
        if (line.front() == ' ' || line.front() == '\t') {
            if (headers.empty()) {
                return std::unexpected(line_error("metadata", line_no, line, 0,
                                                  "a continuation line before any header"));
            }
            headers.back().value += "\n";
            headers.back().value += line;
        } else {
            const std::size_t colon = line.find(':');
            if (colon == std::string_view::npos || colon == 0) {
                // The email parser ends the headers at the first line that is
                // not a header; the rest is the body.
                body = input.substr(pos);
                in_body = true;
                break;
            }
            const std::string_view key = line.substr(0, colon);
            if (std::any_of(key.begin(), key.end(), [](char c) { return text::is_space(c); })) {
                body = input.substr(pos);
                in_body = true;
                break;
            }
            headers.push_back(
                {std::string(key), std::string(trim(line.substr(colon + 1))), line_no});
        }
        pos = next;
    }
    (void)in_body;

    bool has_name = false;
    bool has_version = false;
    bool has_description = false;
    for (auto& h : headers) {
        // Unfold: continuation lines keep their text, joined by newlines.
        const std::string key = text::to_lower(h.name);
        std::string value = h.value;
        m.headers.emplace_back(h.name, value);
        if (key == "metadata-version") {
            if (std::find(std::begin(known_versions), std::end(known_versions), value) ==
                std::end(known_versions)) {
                return std::unexpected(line_error("Metadata-Version", h.line, value, 0,
                                                  "expected one of 1.0, 1.1, 1.2, 2.1 ... 2.4"));
            }
            m.metadata_version = value;
        } else if (key == "name") {
            if (!is_valid_name(value)) {
                return std::unexpected(
                    line_error("Name", h.line, value, 0, "not a valid project name"));
            }
            m.name = value;
            has_name = true;
        } else if (key == "version") {
            auto v = Version::parse_raw(value);
            if (!v) {
                return std::unexpected(
                    line_error("Version", h.line, value, v.error().pos, v.error().reason));
            }
            m.version = std::move(*v);
            has_version = true;
        } else if (key == "summary") {
            m.summary = value;
        } else if (key == "description") {
            m.description = value;
            has_description = true;
        } else if (key == "description-content-type") {
            m.description_content_type = value;
        } else if (key == "keywords") {
            m.keywords = value;
        } else if (key == "home-page") {
            m.home_page = value;
        } else if (key == "author") {
            m.author = value;
        } else if (key == "author-email") {
            m.author_email = value;
        } else if (key == "maintainer") {
            m.maintainer = value;
        } else if (key == "maintainer-email") {
            m.maintainer_email = value;
        } else if (key == "license") {
            m.license = value;
        } else if (key == "license-expression") {
            m.license_expression = value;
        } else if (key == "requires-python") {
            auto s = SpecifierSet::parse(value);
            if (!s) {
                return std::unexpected(Error(
                    ErrorCode::invalid_input,
                    "Requires-Python (line " + std::to_string(h.line) + "): " + s.error().what()));
            }
            m.requires_python = std::move(*s);
        } else if (key == "requires-dist") {
            auto r = Requirement::parse(value);
            if (!r) {
                return std::unexpected(Error(
                    ErrorCode::invalid_input,
                    "Requires-Dist (line " + std::to_string(h.line) + "): " + r.error().what()));
            }
            m.requires_dist.push_back(std::move(*r));
        } else if (key == "provides-extra") {
            m.provides_extra.push_back(value);
        } else if (key == "classifier") {
            m.classifiers.push_back(value);
        } else if (key == "project-url") {
            const std::size_t comma = value.find(',');
            if (comma == std::string::npos) {
                m.project_urls.emplace_back("", std::string(trim(value)));
            } else {
                m.project_urls.emplace_back(std::string(trim(value.substr(0, comma))),
                                            std::string(trim(value.substr(comma + 1))));
            }
        } else if (key == "platform") {
            m.platforms.push_back(value);
        } else if (key == "dynamic") {
            m.dynamic.push_back(value);
        } else if (key == "license-file") {
            m.license_files.push_back(value);
        }
    }
    if (m.metadata_version.empty()) {
        return std::unexpected(
            Error(ErrorCode::invalid_input, "invalid core metadata: no Metadata-Version header"));
    }
    if (!has_name) {
        return std::unexpected(
            Error(ErrorCode::invalid_input, "invalid core metadata: no Name header"));
    }
    if (!has_version) {
        return std::unexpected(
            Error(ErrorCode::invalid_input, "invalid core metadata: no Version header"));
    }
    if (!body.empty() && !has_description)
        m.description = std::string(body);
    return m;
}

std::vector<Requirement> CoreMetadata::requirements_for(
    const MarkerEnvironment& env, const std::vector<std::string>& extras) const {
    std::vector<Requirement> out;
    for (const auto& r : requires_dist) {
        if (!r.marker) {
            out.push_back(r);
            continue;
        }
        MarkerEnvironment e = env;
        e.extra.clear();
        bool applies = r.marker->evaluate(e);
        for (const auto& x : extras) {
            if (applies)
                break;
            e.extra = x;
            applies = r.marker->evaluate(e);
        }
        if (applies)
            out.push_back(r);
    }
    return out;
}

}  // namespace omni::standards
