#include "omni/lock/pylock.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <algorithm>

#include "omni/index/url.hpp"
#include "omni/standards/name.hpp"

namespace omni::lock {

namespace {

Error malformed(std::string_view source, const std::string& what) {
    return Error(ErrorCode::invalid_input, fmt::format("{}: {}", source, what),
                 "a pylock.toml as PEP 751 describes it (lock-version = \"1.0\", [[packages]] "
                 "with name, version and wheels); lock again with 'omni lock'");
}

// Reads a lock and says what is wrong with it, naming the key.
class Reader {
  public:
    explicit Reader(std::string_view source) : source_(source) {}

    std::string string(const toml::table& t, std::string_view key, std::string_view where,
                       bool required = false) const {
        const auto* node = t.get(key);
        if (!node) {
            if (required)
                throw malformed(source_, fmt::format("{} has no '{}'", where, key));
            return {};
        }
        const auto* s = node->as_string();
        if (!s)
            throw malformed(source_, fmt::format("{}.{} is not a string", where, key));
        return s->get();
    }

    LockedFile file(const toml::table& t, std::string_view where) const {
        LockedFile f;
        f.name = string(t, "name", where);
        f.url = string(t, "url", where);
        f.path = string(t, "path", where);
        if (f.url.empty() && f.path.empty())
            throw malformed(source_, fmt::format("{} has neither 'url' nor 'path'", where));
        if (f.name.empty())  // uv leaves it out: the URL's or path's last segment
            f.name = f.url.empty() ? std::filesystem::path(f.path).filename().string()
                                   : url_filename(f.url);
        if (f.name.empty() || f.name.find('/') != std::string::npos || f.name == "." ||
            f.name == "..")
            throw malformed(source_, fmt::format("{} has no usable file name", where));
        if (const auto* size = t.get("size")) {
            const auto* n = size->as_integer();
            if (!n || n->get() < 0)
                throw malformed(source_, fmt::format("{}.size is not a size", where));
            f.size = static_cast<std::uint64_t>(n->get());
        }
        if (const auto* hashes = t.get("hashes")) {
            const auto* table = hashes->as_table();
            if (!table)
                throw malformed(source_, fmt::format("{}.hashes is not a table", where));
            for (const auto& [algorithm, value] : *table) {
                const auto* s = value.as_string();
                if (!s)
                    throw malformed(source_, fmt::format("{}.hashes.{} is not a string", where,
                                                         algorithm.str()));
                std::string hex = s->get();
                std::transform(hex.begin(), hex.end(), hex.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                f.hashes.emplace(std::string(algorithm.str()), hex);
            }
        }
        return f;
    }

    LockedPackage package(const toml::table& t, std::string_view where) const {
        LockedPackage p;
        p.name = string(t, "name", where, true);
        if (!standards::is_valid_name(p.name))
            throw malformed(source_,
                            fmt::format("{}.name '{}' is not a project name", where, p.name));
        const auto at = fmt::format("package '{}'", p.name);
        p.version = string(t, "version", at);
        p.marker = string(t, "marker", at);
        p.requires_python = string(t, "requires-python", at);
        p.index = string(t, "index", at);
        if (const auto* wheels = t.get("wheels")) {
            const auto* array = wheels->as_array();
            if (!array)
                throw malformed(source_, fmt::format("{}: 'wheels' is not an array", at));
            for (std::size_t i = 0; i < array->size(); ++i) {
                const auto* w = array->get(i)->as_table();
                if (!w)
                    throw malformed(source_, fmt::format("{}: wheels[{}] is not a table", at, i));
                p.wheels.push_back(file(*w, fmt::format("{} wheels[{}]", at, i)));
            }
        }
        if (const auto* sdist = t.get("sdist")) {
            const auto* table = sdist->as_table();
            if (!table)
                throw malformed(source_, fmt::format("{}: 'sdist' is not a table", at));
            p.sdist = file(*table, at + " sdist");
        }
        for (const auto* kind : {"vcs", "directory", "archive"})
            if (t.contains(kind))
                p.other_source = kind;
        return p;
    }

    std::vector<LockedPackage> packages(const toml::node* node, std::string_view where) const {
        std::vector<LockedPackage> out;
        if (!node)
            return out;
        const auto* array = node->as_array();
        if (!array)
            throw malformed(source_, fmt::format("'{}' is not an array of tables", where));
        for (std::size_t i = 0; i < array->size(); ++i) {
            const auto* t = array->get(i)->as_table();
            if (!t)
                throw malformed(source_, fmt::format("{}[{}] is not a table", where, i));
            out.push_back(package(*t, fmt::format("{}[{}]", where, i)));
        }
        return out;
    }

  private:
    std::string_view source_;
};

// A TOML basic string.
std::string toml_string(std::string_view s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (c < 0x20 || c == 0x7f)
                    out += fmt::format("\\u{:04x}", c);
                else
                    out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string file_inline(const LockedFile& f) {
    std::string out = "{ name = " + toml_string(f.name);
    if (!f.url.empty())
        out += ", url = " + toml_string(f.url);
    if (!f.path.empty())
        out += ", path = " + toml_string(f.path);
    if (f.size)
        out += fmt::format(", size = {}", *f.size);
    if (!f.hashes.empty()) {
        out += ", hashes = { ";
        bool first = true;
        for (const auto& [algorithm, value] : f.hashes) {
            out += (first ? "" : ", ") + algorithm + " = " + toml_string(value);
            first = false;
        }
        out += " }";
    }
    return out + " }";
}

void sort_packages(std::vector<LockedPackage>& packages) {
    for (auto& p : packages)
        std::sort(p.wheels.begin(), p.wheels.end(),
                  [](const auto& a, const auto& b) { return a.name < b.name; });
    std::sort(packages.begin(), packages.end(), [](const auto& a, const auto& b) {
        const auto na = standards::normalize_name(a.name), nb = standards::normalize_name(b.name);
        return std::tie(na, a.version, a.marker) < std::tie(nb, b.version, b.marker);
    });
}

void write_package(std::string& out, const LockedPackage& p, std::string_view table) {
    out += fmt::format("\n[[{}]]\n", table);
    out += "name = " + toml_string(p.name) + "\n";
    if (!p.version.empty())
        out += "version = " + toml_string(p.version) + "\n";
    if (!p.marker.empty())
        out += "marker = " + toml_string(p.marker) + "\n";
    if (!p.requires_python.empty())
        out += "requires-python = " + toml_string(p.requires_python) + "\n";
    if (!p.index.empty())
        out += "index = " + toml_string(p.index) + "\n";
    if (p.sdist)
        out += "sdist = " + file_inline(*p.sdist) + "\n";
    if (!p.wheels.empty()) {
        out += "wheels = [\n";
        for (const auto& w : p.wheels)
            out += "  " + file_inline(w) + ",\n";
        out += "]\n";
    }
}

}  // namespace

std::string without_userinfo(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos)
        return std::string(url);
    const auto start = scheme + 3;
    const auto end = url.find_first_of("/?#", start);
    const auto authority =
        url.substr(start, end == std::string_view::npos ? url.npos : end - start);
    const auto at = authority.rfind('@');
    if (at == std::string_view::npos)
        return std::string(url);
    return std::string(url.substr(0, start)) + std::string(url.substr(start + at + 1));
}

Result<PyLock> parse_pylock(std::string_view text, std::string_view source) {
    toml::table doc;
    try {
        doc = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        return std::unexpected(malformed(
            source,
            fmt::format("not valid TOML at line {}: {}", e.source().begin.line, e.description())));
    }
    try {
        const Reader read(source);
        PyLock lock;
        lock.lock_version = read.string(doc, "lock-version", "the lock", true);
        if (!(lock.lock_version == "1" || lock.lock_version.starts_with("1.")))
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: lock-version {} is not one omni reads (1.x)", source,
                                    lock.lock_version),
                        "lock again with a tool that writes lock-version 1.0");
        lock.created_by = read.string(doc, "created-by", "the lock");
        lock.requires_python = read.string(doc, "requires-python", "the lock");
        if (const auto* envs = doc.get("environments")) {
            const auto* array = envs->as_array();
            if (!array)
                throw malformed(source, "'environments' is not an array of markers");
            for (const auto& e : *array) {
                const auto* s = e.as_string();
                if (!s)
                    throw malformed(source, "'environments' holds something that is not a string");
                lock.environments.push_back(s->get());
            }
        }
        lock.packages = read.packages(doc.get("packages"), "packages");
        if (const auto* tool = doc["tool"]["omni"].as_table()) {
            if (const auto* bubbles = tool->get("bubbles")) {
                const auto* array = bubbles->as_array();
                if (!array)
                    throw malformed(source, "'tool.omni.bubbles' is not an array of tables");
                for (std::size_t i = 0; i < array->size(); ++i) {
                    const auto* t = array->get(i)->as_table();
                    if (!t)
                        throw malformed(source,
                                        fmt::format("tool.omni.bubbles[{}] is not a table", i));
                    const auto where = fmt::format("tool.omni.bubbles[{}]", i);
                    LockedBubble b;
                    b.python = read.string(*t, "python", where, true);
                    b.requirement = read.string(*t, "requirement", where, true);
                    b.name = read.string(*t, "name", where, true);
                    b.version = read.string(*t, "version", where, true);
                    b.variant = read.string(*t, "variant", where);
                    b.packages = read.packages(t->get("packages"), where + ".packages");
                    lock.bubbles.push_back(std::move(b));
                }
            }
        }
        return lock;
    } catch (const Error& e) {
        return std::unexpected(e);
    }
}

std::string write_pylock(PyLock lock) {
    sort_packages(lock.packages);
    for (auto& b : lock.bubbles)
        sort_packages(b.packages);
    std::sort(lock.bubbles.begin(), lock.bubbles.end(), [](const auto& a, const auto& b) {
        return std::tie(a.python, a.name, a.version, a.variant) <
               std::tie(b.python, b.name, b.version, b.variant);
    });
    std::sort(lock.environments.begin(), lock.environments.end());
    std::string out = "lock-version = " + toml_string(lock.lock_version) + "\n";
    if (!lock.environments.empty()) {
        out += "environments = [\n";
        for (const auto& e : lock.environments)
            out += "  " + toml_string(e) + ",\n";
        out += "]\n";
    }
    if (!lock.requires_python.empty())
        out += "requires-python = " + toml_string(lock.requires_python) + "\n";
    out += "created-by = " + toml_string(lock.created_by) + "\n";
    for (const auto& p : lock.packages)
        write_package(out, p, "packages");
    for (const auto& b : lock.bubbles) {
        out += "\n[[tool.omni.bubbles]]\n";
        out += "python = " + toml_string(b.python) + "\n";
        out += "requirement = " + toml_string(b.requirement) + "\n";
        out += "name = " + toml_string(b.name) + "\n";
        out += "version = " + toml_string(b.version) + "\n";
        if (!b.variant.empty())
            out += "variant = " + toml_string(b.variant) + "\n";
        for (const auto& p : b.packages)
            write_package(out, p, "tool.omni.bubbles.packages");
    }
    return out;
}

}  // namespace omni::lock
