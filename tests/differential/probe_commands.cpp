#include "probe_commands.hpp"

#include "probe_bench.hpp"

#include <algorithm>
#include <optional>

#include "omni/standards/marker.hpp"
#include "omni/standards/name.hpp"
#include "omni/standards/requirement.hpp"
#include "omni/standards/script_metadata.hpp"
#include "omni/standards/specifier.hpp"
#include "omni/standards/tags.hpp"
#include "omni/standards/version.hpp"
#include "omni/standards/wheel_name.hpp"

namespace omni::probe {

namespace {

using namespace omni::standards;

std::optional<bool> pre_flag(std::string_view s) {
    if (s == "true")
        return true;
    if (s == "false")
        return false;
    return std::nullopt;
}

const char* b(bool v) {
    return v ? "1" : "0";
}

void version_cmd(std::string_view s, std::string& out) {
    auto v = Version::parse(s);
    if (!v) {
        out += "invalid";
        return;
    }
    out += "ok\t" + v->to_string() + "\t" + b(v->is_prerelease()) + b(v->is_devrelease()) +
           b(v->is_postrelease()) + "\t" + v->base_version().to_string() + "\t" +
           v->public_version().to_string() + "\t" + std::string(v->local());
}

}  // namespace

void answer(const std::vector<std::string_view>& f, std::string& out) {
    const std::string_view cmd = f[0];
    auto arg = [&](std::size_t i) { return i < f.size() ? f[i] : std::string_view(); };
    if (cmd == "version") {
        version_cmd(arg(1), out);
    } else if (cmd == "compare") {
        auto a = Version::parse(arg(1));
        auto c = Version::parse(arg(2));
        if (!a || !c) {
            out += "invalid";
            return;
        }
        const auto r = *a <=> *c;
        out += r < 0 ? "-1" : (r > 0 ? "1" : "0");
        if (r == 0 && a->hash() != c->hash())
            out += " hash-mismatch";
    } else if (cmd == "spec") {
        auto s = Specifier::parse(arg(1));
        out += s ? s->to_string() + "\t" + b(s->prereleases()) : std::string("invalid");
    } else if (cmd == "set") {
        auto s = SpecifierSet::parse(arg(1));
        out += s ? s->to_string() : std::string("invalid");
    } else if (cmd == "contains") {
        auto s = Specifier::parse(arg(1));
        auto v = Version::parse(arg(2));
        if (!s || !v) {
            out += "invalid";
            return;
        }
        out += s->contains(*v, pre_flag(arg(3))) ? "true" : "false";
    } else if (cmd == "setcontains") {
        auto s = SpecifierSet::parse(arg(1));
        auto v = Version::parse(arg(2));
        if (!s || !v) {
            out += "invalid";
            return;
        }
        out += s->contains(*v, pre_flag(arg(3))) ? "true" : "false";
    } else if (cmd == "filter") {
        auto s = SpecifierSet::parse(arg(1));
        if (!s) {
            out += "invalid";
            return;
        }
        std::vector<Version> versions;
        for (std::size_t i = 3; i < f.size(); ++i)
            versions.push_back(*Version::parse(f[i]));
        bool first = true;
        for (auto i : s->filter_indices(versions, pre_flag(arg(2)))) {
            if (!first)
                out += ",";
            first = false;
            out += std::to_string(i);
        }
    } else if (cmd == "marker") {
        auto m = Marker::parse(arg(1));
        if (!m) {
            out += "invalid";
            return;
        }
        MarkerEnvironment env;
        for (std::size_t i = 2; i < f.size(); ++i) {
            const auto eq = f[i].find('=');
            const auto key = f[i].substr(0, eq);
            const std::string value(f[i].substr(eq + 1));
            if (key == "os_name")
                env.os_name = value;
            if (key == "sys_platform")
                env.sys_platform = value;
            if (key == "platform_machine")
                env.platform_machine = value;
            if (key == "platform_python_implementation")
                env.platform_python_implementation = value;
            if (key == "platform_release")
                env.platform_release = value;
            if (key == "platform_system")
                env.platform_system = value;
            if (key == "platform_version")
                env.platform_version = value;
            if (key == "python_version")
                env.python_version = value;
            if (key == "python_full_version")
                env.python_full_version = value;
            if (key == "implementation_name")
                env.implementation_name = value;
            if (key == "implementation_version")
                env.implementation_version = value;
            if (key == "extra")
                env.extra = value;
        }
        out += m->to_string() + "\t" + (m->evaluate(env) ? "true" : "false");
    } else if (cmd == "requirement") {
        auto r = Requirement::parse(arg(1));
        out += r ? r->to_string() + "\t" + r->normalized_name() : std::string("invalid");
    } else if (cmd == "tags") {
        // tags impl major minor abiflags soabi platform glibc(M.m|-) musl(M.m|-) pointer
        InterpreterFacts facts;
        facts.implementation = std::string(arg(1));
        facts.major = static_cast<unsigned>(std::stoul(std::string(arg(2))));
        facts.minor = static_cast<unsigned>(std::stoul(std::string(arg(3))));
        facts.abiflags = std::string(arg(4));
        facts.soabi = std::string(arg(5));
        facts.platform = std::string(arg(6));
        auto pair = [](std::string_view s) -> std::optional<std::pair<unsigned, unsigned>> {
            const auto dot = s.find('.');
            if (s == "-" || dot == std::string_view::npos)
                return std::nullopt;
            return std::pair{static_cast<unsigned>(std::stoul(std::string(s.substr(0, dot)))),
                             static_cast<unsigned>(std::stoul(std::string(s.substr(dot + 1))))};
        };
        facts.glibc = pair(arg(7));
        facts.musl = pair(arg(8));
        facts.pointer_size = static_cast<unsigned>(std::stoul(std::string(arg(9))));
        bool first = true;
        for (const auto& t : supported_tags(facts)) {
            if (!first)
                out += " ";
            first = false;
            out += t.to_string();
        }
    } else if (cmd == "wheel") {
        auto w = WheelName::parse(arg(1));
        if (!w) {
            out += "invalid";
            return;
        }
        out += w->name + "\t" + w->version.to_string() + "\t";
        if (w->build)
            out += std::to_string(w->build->number) + w->build->suffix;
        std::vector<std::string> tags;
        for (const auto& t : w->tags)
            tags.push_back(t.to_string());
        std::sort(tags.begin(), tags.end());
        for (const auto& t : tags)
            out += "\t" + t;
    } else if (cmd == "script") {
        // The script arrives with "\\n" for newlines; the answer escapes them back.
        std::string script;
        const std::string_view in = arg(1);
        for (std::size_t i = 0; i < in.size(); ++i) {
            if (in[i] == '\\' && i + 1 < in.size() && in[i + 1] == 'n') {
                script.push_back('\n');
                ++i;
            } else {
                script.push_back(in[i]);
            }
        }
        auto block = extract_script_block(script);
        if (!block) {
            out += "error";
        } else if (!*block) {
            out += "none";
        } else {
            for (char c : **block) {
                if (c == '\n') {
                    out += "\\n";
                } else {
                    out.push_back(c);
                }
            }
        }
    } else if (cmd == "bench") {
        bench(arg(1), arg(2), out);
    } else if (cmd == "name") {
        out += normalize_name(arg(1)) + "\t" + b(is_valid_name(arg(1)));
    } else {
        out += "unknown-command";
    }
}

}  // namespace omni::probe
