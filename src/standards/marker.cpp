#include "omni/standards/marker.hpp"

#include <array>

#include "omni/standards/name.hpp"
#include "omni/standards/specifier.hpp"
#include "standards/text.hpp"

namespace omni::standards {

using detail::MarkerElement;
using detail::MarkerItem;
using detail::MarkerVar;

std::optional<std::string_view> MarkerEnvironment::get(std::string_view key) const {
    if (key == "os_name")
        return os_name;
    if (key == "sys_platform")
        return sys_platform;
    if (key == "platform_machine")
        return platform_machine;
    if (key == "platform_python_implementation")
        return platform_python_implementation;
    if (key == "platform_release")
        return platform_release;
    if (key == "platform_system")
        return platform_system;
    if (key == "platform_version")
        return platform_version;
    if (key == "python_version")
        return python_version;
    if (key == "python_full_version")
        return python_full_version;
    if (key == "implementation_name")
        return implementation_name;
    if (key == "implementation_version")
        return implementation_version;
    if (key == "extra")
        return extra;
    return std::nullopt;
}

namespace {

using Fail = std::unexpected<Version::Failure>;

bool is_word(char c) noexcept {
    return text::is_alnum(c) || c == '_';
}

struct Parser {
    std::string_view s;
    std::size_t pos = 0;

    bool boundary(std::size_t p) const noexcept {
        const bool before = p > 0 && is_word(s[p - 1]);
        const bool after = p < s.size() && is_word(s[p]);
        return before != after;
    }
    void ws() noexcept {
        while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t'))
            ++pos;
    }
    // A whole word at pos (with \b on both sides).
    bool word(std::string_view w) noexcept {
        if (!s.substr(pos).starts_with(w) || !boundary(pos) || !boundary(pos + w.size())) {
            return false;
        }
        pos += w.size();
        return true;
    }

    std::expected<MarkerVar, Version::Failure> var() {
        static constexpr std::array<std::string_view, 17> names = {
            "python_version",
            "python_full_version",
            "os_name",
            "os.name",
            "sys_platform",
            "sys.platform",
            "platform_release",
            "platform_system",
            "platform_version",
            "platform.version",
            "platform_machine",
            "platform.machine",
            "platform_python_implementation",
            "platform.python_implementation",
            "python_implementation",
            "implementation_name",
            "implementation_version",
        };
        for (auto n : names) {
            if (word(n)) {
                std::string v(n);
                for (char& c : v) {
                    if (c == '.')
                        c = '_';
                }
                if (v == "python_implementation")
                    v = "platform_python_implementation";
                return MarkerVar{true, std::move(v)};
            }
        }
        if (word("extra"))
            return MarkerVar{true, "extra"};
        if (pos < s.size() && (s[pos] == '\'' || s[pos] == '"')) {
            const char q = s[pos];
            const std::size_t close = s.find(q, pos + 1);
            if (close == std::string_view::npos) {
                return Fail(Version::Failure{pos, "unterminated string"});
            }
            MarkerVar v{false, std::string(s.substr(pos + 1, close - pos - 1))};
            pos = close + 1;
            return v;
        }
        return Fail(Version::Failure{pos, "expected a marker variable or quoted string"});
    }

    std::expected<std::string, Version::Failure> op() {
        if (word("in"))
            return std::string("in");
        if (word("not")) {
            const std::size_t before = pos;
            ws();
            if (pos == before)
                return Fail(Version::Failure{pos, "expected whitespace after 'not'"});
            if (!word("in"))
                return Fail(Version::Failure{pos, "expected 'in' after 'not'"});
            return std::string("not in");
        }
        for (std::string_view o : {"===", "==", "~=", "!=", "<=", ">=", "<", ">"}) {
            if (s.substr(pos).starts_with(o)) {
                pos += o.size();
                return std::string(o);
            }
        }
        return Fail(Version::Failure{
            pos, "expected a marker operator: <=, <, !=, ==, >=, >, ~=, ===, in, not in"});
    }

    std::expected<MarkerElement, Version::Failure> atom() {
        ws();
        MarkerElement e;
        if (pos < s.size() && s[pos] == '(') {
            const std::size_t open = pos;
            ++pos;
            ws();
            auto inner = expression();
            if (!inner)
                return Fail(inner.error());
            ws();
            if (pos >= s.size() || s[pos] != ')') {
                (void)open;
                return Fail(Version::Failure{pos, "expected ')' to close the '(' of the marker"});
            }
            ++pos;
            e.kind = MarkerElement::Kind::group;
            e.group = std::move(*inner);
        } else {
            auto lhs = var();
            if (!lhs)
                return Fail(lhs.error());
            ws();
            auto o = op();
            if (!o)
                return Fail(o.error());
            ws();
            auto rhs = var();
            if (!rhs)
                return Fail(rhs.error());
            e.item = MarkerItem{std::move(*lhs), std::move(*o), std::move(*rhs)};
        }
        ws();
        return e;
    }

    std::expected<std::vector<MarkerElement>, Version::Failure> expression() {
        std::vector<MarkerElement> out;
        auto first = atom();
        if (!first)
            return Fail(first.error());
        out.push_back(std::move(*first));
        while (true) {
            MarkerElement op_el;
            if (word("or")) {
                op_el.kind = MarkerElement::Kind::op_or;
            } else if (word("and")) {
                op_el.kind = MarkerElement::Kind::op_and;
            } else {
                break;
            }
            auto next = atom();
            if (!next)
                return Fail(next.error());
            out.push_back(std::move(op_el));
            out.push_back(std::move(*next));
        }
        return out;
    }
};

// packaging normalizes the extra name of the first item of the top level only.
void normalize_extras(std::vector<MarkerElement>& list) {
    if (list.empty() || list.front().kind != MarkerElement::Kind::item)
        return;
    auto& it = list.front().item;
    if (it.lhs.is_variable && it.lhs.value == "extra") {
        it.rhs.value = normalize_name(it.rhs.value);
    } else if (it.rhs.is_variable && it.rhs.value == "extra") {
        it.lhs.value = normalize_name(it.lhs.value);
    }
}

bool string_op(std::string_view lhs, std::string_view op, std::string_view rhs) {
    if (op == "in")
        return rhs.find(lhs) != std::string_view::npos;
    if (op == "not in")
        return rhs.find(lhs) == std::string_view::npos;
    const int c = lhs.compare(rhs);
    if (op == "==")
        return c == 0;
    if (op == "!=")
        return c != 0;
    if (op == "<")
        return c < 0;
    if (op == "<=")
        return c <= 0;
    if (op == ">")
        return c > 0;
    if (op == ">=")
        return c >= 0;
    return false;  // ~= and === are undefined on strings
}

bool eval_item(const MarkerItem& it, const MarkerEnvironment& env) {
    const std::string& key = it.lhs.is_variable ? it.lhs.value : it.rhs.value;
    auto value_of = [&](const MarkerVar& v) -> std::string {
        if (!v.is_variable)
            return v.value;
        auto got = env.get(v.value);
        std::string out = got ? std::string(*got) : std::string();
        return out;
    };
    std::string lhs = value_of(it.lhs);
    std::string rhs = value_of(it.rhs);
    if (key == "extra") {
        lhs = normalize_name(lhs);
        rhs = normalize_name(rhs);
    }
    if (auto spec = Specifier::parse_raw(it.op + rhs)) {
        if (auto v = Version::parse_raw(lhs))
            return spec->contains(*v, true);
    }
    return string_op(lhs, it.op, rhs);
}

bool eval_list(const std::vector<MarkerElement>& list, const MarkerEnvironment& env) {
    // "and" binds tighter than "or": any group of and-ed atoms all true.
    bool group_ok = true;
    for (const auto& e : list) {
        switch (e.kind) {
            case MarkerElement::Kind::op_or:
                if (group_ok)
                    return true;
                group_ok = true;
                break;
            case MarkerElement::Kind::op_and:
                break;
            case MarkerElement::Kind::group:
                if (group_ok)
                    group_ok = eval_list(e.group, env);
                break;
            case MarkerElement::Kind::item:
                if (group_ok)
                    group_ok = eval_item(e.item, env);
                break;
        }
    }
    return group_ok;
}

std::string serialize(const MarkerVar& v) {
    return v.is_variable ? v.value : "\"" + v.value + "\"";
}

// packaging's _format_marker, including its unwrapping of one-element groups.
void format(const std::vector<MarkerElement>& list, bool first, std::string& out);

void format_element(const MarkerElement& e, std::string& out) {
    switch (e.kind) {
        case MarkerElement::Kind::item:
            out += serialize(e.item.lhs) + " " + e.item.op + " " + serialize(e.item.rhs);
            break;
        case MarkerElement::Kind::op_and:
            out += "and";
            break;
        case MarkerElement::Kind::op_or:
            out += "or";
            break;
        case MarkerElement::Kind::group:
            format(e.group, false, out);
            break;
    }
}

void format(const std::vector<MarkerElement>& list, bool first, std::string& out) {
    if (list.size() == 1) {
        const auto& only = list.front();
        if (only.kind == MarkerElement::Kind::group) {
            format(only.group, true, out);
            return;
        }
        if (only.kind == MarkerElement::Kind::item) {
            format_element(only, out);
            return;
        }
    }
    if (!first)
        out += "(";
    bool sep = false;
    for (const auto& e : list) {
        if (sep)
            out += " ";
        sep = true;
        format_element(e, out);
    }
    if (!first)
        out += ")";
}

bool mentions(const std::vector<MarkerElement>& list) {
    for (const auto& e : list) {
        if (e.kind == MarkerElement::Kind::group && mentions(e.group))
            return true;
        if (e.kind == MarkerElement::Kind::item &&
            ((e.item.lhs.is_variable && e.item.lhs.value == "extra") ||
             (e.item.rhs.is_variable && e.item.rhs.value == "extra"))) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::expected<Marker, Version::Failure> Marker::parse_raw(std::string_view input) {
    Parser p{input};
    auto list = p.expression();
    if (!list)
        return Fail(list.error());
    if (p.pos != input.size()) {
        return Fail(Version::Failure{p.pos, "expected 'and', 'or' or the end of the marker"});
    }
    Marker m;
    m.root_ = std::move(*list);
    normalize_extras(m.root_);
    return m;
}

Result<Marker> Marker::parse(std::string_view input) {
    auto m = parse_raw(input);
    if (!m)
        return std::unexpected(parse_error("marker", input, m.error().pos, m.error().reason));
    return std::move(*m);
}

bool Marker::evaluate(const MarkerEnvironment& env) const {
    return eval_list(root_, env);
}

std::string Marker::to_string() const {
    std::string out;
    format(root_, true, out);
    return out;
}

bool Marker::mentions_extra() const {
    return mentions(root_);
}

}  // namespace omni::standards
