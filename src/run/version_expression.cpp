#include "run/version_expression.hpp"

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "omni/standards/version.hpp"

namespace omni::run {

namespace {

constexpr int max_depth = 6;
constexpr int max_statement_lines = 20;

std::string trim(std::string_view s) {
    const auto begin = s.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos)
        return {};
    const auto end = s.find_last_not_of(" \t\r");
    return std::string(s.substr(begin, end - begin + 1));
}

std::size_t indentation(const std::string& line) {
    const auto first = line.find_first_not_of(" \t");
    return first == std::string::npos ? line.size() : first;
}

// Walks `text` outside string literals, with the bracket depth at each
// character. `visit(index, depth)` returns false to stop.
template <class Visit>
void scan(std::string_view text, Visit&& visit) {
    int depth = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\'' || c == '"') {
            const bool triple = i + 2 < text.size() && text[i + 1] == c && text[i + 2] == c;
            const std::string_view close =
                triple ? std::string_view(&text[i], 3) : text.substr(i, 1);
            std::size_t j = i + close.size();
            while (j < text.size() && text.substr(j, close.size()) != close)
                j += text[j] == '\\' ? std::size_t{2} : std::size_t{1};
            i = std::min(text.size(), j + close.size()) - 1;
            continue;
        }
        if (c == '#')
            return;
        if (c == '(' || c == '[' || c == '{')
            ++depth;
        else if (c == ')' || c == ']' || c == '}')
            --depth;
        if (!visit(i, depth))
            return;
    }
}

// The line without its comment.
std::string code_of(const std::string& line) {
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quote) {
            if (c == '\\')
                ++i;
            else if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '#') {
            return line.substr(0, i);
        }
    }
    return line;
}

int closing_depth(const std::string& text) {
    int depth = 0;
    scan(text, [&](std::size_t, int d) {
        depth = d;
        return true;
    });
    return depth;
}

// The statement that starts on line `index` (0-based), continuation lines joined.
std::string statement_from(const std::vector<std::string>& lines, std::size_t index) {
    std::string text = code_of(lines[index]);
    for (int n = 1; n < max_statement_lines && index + 1 < lines.size(); ++n) {
        const bool open = closing_depth(text) > 0 || (!text.empty() && trim(text).ends_with("\\"));
        if (!open)
            break;
        if (trim(text).ends_with("\\"))
            text = text.substr(0, text.rfind('\\'));
        text += " " + trim(code_of(lines[++index]));
    }
    return trim(text);
}

// Splits at top-level occurrences of `word` (" and ", ",", ...).
std::vector<std::string> split_top(const std::string& text, const std::string& word) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    scan(text, [&](std::size_t i, int depth) {
        if (depth == 0 && text.compare(i, word.size(), word) == 0 && i >= start) {
            parts.push_back(text.substr(start, i - start));
            start = i + word.size();
        }
        return true;
    });
    parts.push_back(text.substr(start));
    for (auto& p : parts)
        p = trim(p);
    return parts;
}

// "(x)" -> "x" while the parentheses enclose everything.
std::string strip_parens(std::string text) {
    for (;;) {
        text = trim(text);
        if (text.size() < 2 || text.front() != '(' || text.back() != ')')
            return text;
        bool encloses = true;
        scan(text, [&](std::size_t i, int depth) {
            if (depth == 0 && i + 1 < text.size()) {
                encloses = false;
                return false;
            }
            return true;
        });
        if (!encloses)
            return text;
        text = text.substr(1, text.size() - 2);
    }
}

struct Comparison {
    std::vector<std::string> operands;
    std::vector<std::string> ops;
};

Comparison comparison_of(const std::string& text) {
    Comparison c;
    std::size_t start = 0;
    std::size_t skip_until = 0;
    scan(text, [&](std::size_t i, int depth) {
        if (i < skip_until || depth != 0)
            return true;
        const char a = text[i];
        const char b = i + 1 < text.size() ? text[i + 1] : '\0';
        std::string op;
        if ((a == '=' || a == '!') && b == '=')
            op = std::string{a, b};
        else if ((a == '<' || a == '>') && b == '=')
            op = std::string{a, b};
        else if ((a == '<' || a == '>') && b != a && (i == 0 || text[i - 1] != a) &&
                 !(a == '>' && i > 0 && text[i - 1] == '-'))
            op = std::string{a};
        if (op.empty())
            return true;
        c.operands.push_back(trim(text.substr(start, i - start)));
        c.ops.push_back(op);
        start = i + op.size();
        skip_until = start;
        return true;
    });
    c.operands.push_back(trim(text.substr(start)));
    return c;
}

std::string inverted(const std::string& op) {
    static const std::map<std::string, std::string> inverse{
        {"==", "!="}, {"!=", "=="}, {"<", ">="}, {">=", "<"}, {">", "<="}, {"<=", ">"}};
    return inverse.at(op);
}

std::string flipped(const std::string& op) {
    static const std::map<std::string, std::string> flip{{"==", "=="}, {"!=", "!="}, {"<", ">"},
                                                         {">", "<"},   {"<=", ">="}, {">=", "<="}};
    return flip.at(op);
}

struct Value {
    enum Kind { none, literal, package } kind = none;
    std::string text;  // literal
    std::string distribution, module;
};

// Names the source binds by import.
struct Imports {
    std::map<std::string, std::string> modules;         // local name -> module ("rich")
    std::map<std::string, std::string> version_of;      // local name -> its module's __version__
    std::set<std::string> metadata_version{"version"};  // functions: name -> version
    std::set<std::string> distribution_fn{"get_distribution", "distribution", "require"};
};

Imports imports_of(const std::vector<std::string>& lines) {
    static const std::regex import_re(R"(^\s*import\s+(.+)$)");
    static const std::regex from_re(R"(^\s*from\s+([\w.]+)\s+import\s+\(?([^)]+)\)?\s*$)");
    Imports imports;
    for (const auto& raw : lines) {
        const auto line = code_of(raw);
        std::smatch m;
        if (std::regex_match(line, m, import_re)) {
            for (const auto& item : split_top(m[1].str(), ",")) {
                const auto as = item.find(" as ");
                const auto module = trim(item.substr(0, as));
                if (as != std::string::npos)
                    imports.modules[trim(item.substr(as + 4))] = module;
                else
                    imports.modules[module.substr(0, module.find('.'))] =
                        module.substr(0, module.find('.'));
            }
        } else if (std::regex_match(line, m, from_re)) {
            const auto from = m[1].str();
            for (const auto& item : split_top(m[2].str(), ",")) {
                const auto as = item.find(" as ");
                const auto name = trim(item.substr(0, as));
                const auto local = as == std::string::npos ? name : trim(item.substr(as + 4));
                if (local.empty())
                    continue;
                const bool metadata_module = from == "importlib.metadata" ||
                                             from == "importlib_metadata" ||
                                             from == "pkg_resources";
                if (metadata_module && name == "version")
                    imports.metadata_version.insert(local);
                else if (metadata_module && (name == "get_distribution" || name == "distribution" ||
                                             name == "require"))
                    imports.distribution_fn.insert(local);
                else if (name == "__version__" || name == "VERSION")
                    imports.version_of[local] = from;
                else if (!metadata_module)
                    imports.modules[local] = from + "." + name;
            }
        }
    }
    return imports;
}

std::optional<std::string> string_literal(const std::string& text) {
    static const std::regex literal(R"re(^[uUrRbB]?(['"])([^'"\\]*)\1$)re");
    std::smatch m;
    if (std::regex_match(text, m, literal))
        return m[2].str();
    return std::nullopt;
}

// "name(args)" as one call: the name and the text between the parentheses.
std::optional<std::pair<std::string, std::string>> call_of(const std::string& text) {
    static const std::regex head(R"(^([A-Za-z_][\w.]*)\s*\()");
    std::smatch m;
    if (!std::regex_search(text, m, head) || text.back() != ')')
        return std::nullopt;
    const auto open = static_cast<std::size_t>(m.length(0)) - 1;
    bool one_call = true;
    scan(text, [&](std::size_t i, int depth) {
        if (i > open && depth == 0 && i + 1 < text.size()) {
            one_call = false;
            return false;
        }
        return true;
    });
    if (!one_call)
        return std::nullopt;
    return std::pair{m[1].str(), text.substr(open + 1, text.size() - open - 2)};
}

std::string last_component(const std::string& dotted) {
    const auto dot = dotted.rfind('.');
    return dot == std::string::npos ? dotted : dotted.substr(dot + 1);
}

class Resolver {
  public:
    Resolver(const std::vector<std::string>& lines, std::size_t before)
        : lines_(lines), before_(before), imports_(imports_of(lines)) {}

    Value eval(const std::string& raw, int depth) const {
        if (depth > max_depth)
            return {};
        const auto text = strip_parens(raw);
        if (text.empty())
            return {};
        if (auto literal = string_literal(text))
            return {Value::literal, *literal, "", ""};
        // a or b, a if c else b: the first side that names a package.
        for (const auto* word : {" or ", " if ", " else "}) {
            const auto parts = split_top(text, word);
            if (parts.size() > 1) {
                Value first_literal;
                for (const auto& part : parts) {
                    auto v = eval(part, depth + 1);
                    if (v.kind == Value::package)
                        return v;
                    if (v.kind == Value::literal && first_literal.kind == Value::none)
                        first_literal = v;
                }
                return first_literal;
            }
        }
        if (auto call = call_of(text))
            return eval_call(call->first, call->second, depth);
        // metadata("x")["Version"], require("x")[0].version
        static const std::regex attribute(
            R"(^(.+)\.(__version__|__VERSION__|VERSION|version|base_version|public)$)");
        std::smatch m;
        if (std::regex_match(text, m, attribute))
            return eval_attribute(m[1].str(), m[2].str(), depth);
        static const std::regex metadata_subscript(
            R"re(^(?:[\w.]*\.)?metadata\(\s*(['"])([\w.-]+)\1\s*\)\s*\[\s*['"]Version['"]\s*\]$)re");
        if (std::regex_match(text, m, metadata_subscript))
            return {Value::package, "", m[2].str(), ""};
        static const std::regex identifier(R"(^[A-Za-z_]\w*$)");
        if (std::regex_match(text, identifier))
            return eval_name(text, depth);
        return {};
    }

  private:
    Value eval_call(const std::string& name, const std::string& args, int depth) const {
        static const std::set<std::string> wrappers{
            "parse", "Version", "LooseVersion", "StrictVersion", "str", "parse_version", "V"};
        const auto fn = last_component(name);
        const auto arguments = split_top(args, ",");
        const auto first = arguments.empty() ? std::string() : arguments.front();
        if (wrappers.count(fn))
            return eval(first, depth + 1);
        if (fn == "getattr" && arguments.size() >= 2) {
            const auto attribute = string_literal(arguments[1]);
            if (attribute && (*attribute == "__version__" || *attribute == "VERSION"))
                return module_version(arguments[0]);
            return {};
        }
        // md.version with `import importlib.metadata as md` is importlib.metadata.version.
        auto qualified = name;
        if (const auto it = imports_.modules.find(name.substr(0, name.find('.')));
            it != imports_.modules.end() && name.find('.') != std::string::npos)
            qualified = it->second + name.substr(name.find('.'));
        const bool metadata_call = imports_.metadata_version.count(name) ||
                                   (fn == "version" && (qualified.ends_with("metadata.version") ||
                                                        qualified == "version"));
        if (metadata_call)
            if (auto dist = string_literal(first))
                return {Value::package, "", *dist, ""};
        return {};
    }

    Value eval_attribute(const std::string& base, const std::string& attribute, int depth) const {
        if (attribute == "base_version" || attribute == "public")
            return eval(base, depth + 1);
        if (attribute == "version") {
            // get_distribution("x").version, distribution("x").version, require("x")[0].version
            auto target = base;
            if (target.ends_with("[0]"))
                target = trim(target.substr(0, target.size() - 3));
            if (auto call = call_of(target)) {
                const auto fn = last_component(call->first);
                if (imports_.distribution_fn.count(fn) ||
                    imports_.distribution_fn.count(call->first))
                    if (auto dist = string_literal(trim(split_top(call->second, ",").front())))
                        return {Value::package, "", *dist, ""};
                return {};
            }
            // module.version only for a module the source imported.
            const auto top = base.substr(0, base.find('.'));
            if (!imports_.modules.count(top))
                return {};
        }
        return module_version(base);
    }

    Value module_version(const std::string& base) const {
        static const std::regex dotted(R"(^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*$)");
        if (!std::regex_match(base, dotted))
            return {};
        const auto top = base.substr(0, base.find('.'));
        static const std::set<std::string> not_modules{"self", "cls", "args", "options", "sys"};
        if (not_modules.count(top))
            return {};
        const auto it = imports_.modules.find(top);
        const auto module = it == imports_.modules.end() ? top : it->second;
        return {Value::package, "", "", module.substr(0, module.find('.'))};
    }

    Value eval_name(const std::string& name, int depth) const {
        if (const auto it = imports_.version_of.find(name); it != imports_.version_of.end())
            return {Value::package, "", "", it->second.substr(0, it->second.find('.'))};
        // NAME = ..., NAME: str = ...; the nearest assignment that names a
        // package wins, else the nearest literal.
        const std::regex assignment("^\\s*" + name + R"(\s*(?::[^=]+)?=(?!=)\s*(.+)$)");
        Value literal;
        for (std::size_t i = before_; i-- > 0;) {
            std::smatch m;
            const auto line = code_of(lines_[i]);
            if (!std::regex_match(line, m, assignment))
                continue;
            auto rhs = statement_from(lines_, i);
            rhs = trim(rhs.substr(rhs.find('=') + 1));
            if (rhs.starts_with("="))
                continue;
            auto v = eval(rhs, depth + 1);
            if (v.kind == Value::package)
                return v;
            if (v.kind == Value::literal && literal.kind == Value::none)
                literal = v;
        }
        return literal;
    }

    const std::vector<std::string>& lines_;
    std::size_t before_;
    Imports imports_;
};

bool is_version(const std::string& text) {
    return standards::Version::parse(text).has_value();
}

// The demand of one comparison chain (a == b, a <= b < c), or of
// x.startswith("13.4").
std::optional<VersionDemand> demand_of(const std::string& condition, bool failure_condition,
                                       const Resolver& resolver) {
    auto text = strip_parens(condition);
    bool failing = failure_condition;
    while (text.starts_with("not ")) {
        failing = !failing;
        text = strip_parens(text.substr(4));
    }
    static const std::regex startswith(R"(^(.+)\.startswith\((.+)\)$)");
    std::smatch m;
    if (std::regex_match(text, m, startswith)) {
        const auto subject = resolver.eval(m[1].str(), 0);
        const auto prefix = resolver.eval(m[2].str(), 0);
        if (subject.kind != Value::package || prefix.kind != Value::literal)
            return std::nullopt;
        auto stem = prefix.text;
        while (!stem.empty() && stem.back() == '.')
            stem.pop_back();
        if (!is_version(stem))
            return std::nullopt;
        return VersionDemand{subject.distribution, subject.module,
                             (failing ? "!=" : "==") + stem + ".*", ""};
    }
    const auto comparison = comparison_of(text);
    if (comparison.ops.empty())
        return std::nullopt;
    std::vector<std::string> specs;
    Value subject;
    for (std::size_t i = 0; i < comparison.ops.size(); ++i) {
        const auto left = resolver.eval(comparison.operands[i], 0);
        const auto right = resolver.eval(comparison.operands[i + 1], 0);
        std::string op = comparison.ops[i];
        const Value* package = nullptr;
        const Value* literal = nullptr;
        if (left.kind == Value::package && right.kind == Value::literal) {
            package = &left;
            literal = &right;
        } else if (left.kind == Value::literal && right.kind == Value::package) {
            package = &right;
            literal = &left;
            op = flipped(op);
        }
        if (!package || !is_version(literal->text))
            continue;
        if (subject.kind == Value::none)
            subject = *package;
        specs.push_back(op + literal->text);
    }
    if (specs.empty())
        return std::nullopt;
    // A failing condition with several parts would need "or": keep the first.
    if (failing)
        specs = {inverted(specs.front().substr(0, specs.front().find_first_not_of("=!<>"))) +
                 specs.front().substr(specs.front().find_first_not_of("=!<>"))};
    std::string joined;
    for (const auto& s : specs)
        joined += (joined.empty() ? "" : ",") + s;
    return VersionDemand{subject.distribution, subject.module, joined, ""};
}

// The condition of a statement and whether it holds when the script fails.
struct Condition {
    std::string text;
    bool is_failure = false;
    std::string statement;
};

std::optional<Condition> condition_of(const std::string& statement) {
    static const std::regex guard(R"(^(if|elif|while)\s+(.+):(.*)$)");
    std::smatch m;
    if (statement.starts_with("assert ") || statement.starts_with("assert(")) {
        const auto parts = split_top(statement.substr(6), ",");
        return Condition{parts.front(), false, statement};
    }
    if (std::regex_match(statement, m, guard))
        return Condition{split_top(m[2].str() + ":" + m[3].str(), ":").front(), true, statement};
    return std::nullopt;
}

// For `raise ...`/`sys.exit(...)` under an if (or its else): that if.
std::optional<Condition> guard_of(const std::vector<std::string>& lines, std::size_t index) {
    const auto own = indentation(lines[index]);
    for (std::size_t i = index; i-- > 0 && index - i <= 12;) {
        const auto line = code_of(lines[i]);
        if (trim(line).empty() || indentation(line) >= own)
            continue;
        const auto statement = statement_from(lines, i);
        if (statement.starts_with("else")) {
            // The failing branch is the else: the if's condition is what
            // the script wants.
            const auto else_indent = indentation(line);
            for (std::size_t j = i; j-- > 0;) {
                const auto candidate = code_of(lines[j]);
                if (trim(candidate).empty() || indentation(candidate) != else_indent)
                    continue;
                auto c = condition_of(statement_from(lines, j));
                if (c)
                    c->is_failure = false;
                return c;
            }
            return std::nullopt;
        }
        return condition_of(statement);
    }
    return std::nullopt;
}

}  // namespace

std::vector<std::string> split_lines(const std::string& source) {
    std::vector<std::string> lines;
    std::istringstream in(source);
    std::string line;
    while (std::getline(in, line))
        lines.push_back(line);
    return lines;
}

std::optional<VersionDemand> version_demand(const std::vector<std::string>& lines, int failing) {
    if (failing < 1 || static_cast<std::size_t>(failing) > lines.size())
        return std::nullopt;
    const auto index = static_cast<std::size_t>(failing - 1);
    const Resolver resolver(lines, index);
    const auto statement = statement_from(lines, index);
    auto condition = condition_of(statement);
    if (!condition) {
        static const std::regex leaves(R"(^(raise\b|sys\.exit\(|exit\(|os\._exit\())");
        if (!std::regex_search(statement, leaves))
            return std::nullopt;
        condition = guard_of(lines, index);
        if (!condition)
            return std::nullopt;
    }
    // a and b: each part is a demand; a or b: the first that resolves.
    for (const auto& alternative : split_top(condition->text, " or "))
        for (const auto& part : split_top(alternative, " and "))
            if (auto demand = demand_of(part, condition->is_failure, resolver)) {
                demand->statement = condition->statement;
                demand->from_assert = condition->statement.starts_with("assert");
                return demand;
            }
    return std::nullopt;
}

}  // namespace omni::run
