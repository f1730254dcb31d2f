#include "omni/standards/specifier.hpp"

#include <algorithm>

#include "standards/text.hpp"

namespace omni::standards {

namespace {

bool starts_with_suffix_word(std::string_view item) {
    for (std::string_view w : {"dev", "a", "b", "rc", "post"}) {
        if (item.starts_with(w))
            return true;
    }
    return false;
}

// packaging's _version_split on raw text: epoch first ("0" when absent), then
// the dot-separated items, with "5rc1" split into "5" and "rc1".
std::vector<std::string> split_version_text(std::string_view text) {
    std::vector<std::string> out;
    const std::size_t bang = text.rfind('!');
    std::string_view rest = text;
    if (bang == std::string_view::npos) {
        out.emplace_back("0");
    } else {
        out.emplace_back(bang == 0 ? std::string_view("0") : text.substr(0, bang));
        rest = text.substr(bang + 1);
    }
    while (true) {
        const std::size_t dot = rest.find('.');
        std::string_view item = rest.substr(0, dot);
        std::size_t digits = 0;
        while (digits < item.size() && text::is_digit(item[digits]))
            ++digits;
        std::string_view tail = item.substr(digits);
        std::size_t label =
            tail.starts_with("rc")
                ? 2
                : (!tail.empty() && (tail[0] == 'a' || tail[0] == 'b' || tail[0] == 'c') ? 1 : 0);
        const bool splits = digits > 0 && label > 0 && tail.size() > label &&
                            std::all_of(tail.begin() + static_cast<std::ptrdiff_t>(label),
                                        tail.end(), [](char ch) { return text::is_digit(ch); });
        if (splits) {
            out.emplace_back(item.substr(0, digits));
            out.emplace_back(tail);
        } else {
            out.emplace_back(item);
        }
        if (dot == std::string_view::npos)
            break;
        rest.remove_prefix(dot + 1);
    }
    return out;
}

// Rank of a suffix part in a canonical split: a=0 b=1 rc=2 post=3 dev=4.
struct SuffixPart {
    int tag;
    std::uint64_t number;
    bool operator==(const SuffixPart&) const = default;
};

std::size_t suffix_parts(const Version& v, SuffixPart (&out)[3]) {
    std::size_t n = 0;
    if (auto pre = v.pre())
        out[n++] = {static_cast<int>(pre->kind), pre->number};
    if (auto post = v.post())
        out[n++] = {3, *post};
    if (auto dev = v.dev())
        out[n++] = {4, *dev};
    return n;
}

}  // namespace

std::string_view to_string(SpecOp op) {
    switch (op) {
        case SpecOp::compatible:
            return "~=";
        case SpecOp::equal:
            return "==";
        case SpecOp::not_equal:
            return "!=";
        case SpecOp::less_equal:
            return "<=";
        case SpecOp::greater_equal:
            return ">=";
        case SpecOp::less:
            return "<";
        case SpecOp::greater:
            return ">";
        case SpecOp::arbitrary:
            return "===";
    }
    return "==";
}

Result<Specifier> Specifier::parse(std::string_view input) {
    auto spec = parse_raw(input);
    if (!spec) {
        return std::unexpected(
            parse_error("version specifier", input, spec.error().pos, spec.error().reason));
    }
    return std::move(*spec);
}

std::expected<Specifier, Version::Failure> Specifier::parse_raw(std::string_view input) {
    auto fail = [&](std::size_t pos,
                    std::string_view reason) -> std::expected<Specifier, Version::Failure> {
        return std::unexpected(Version::Failure{pos, reason});
    };
    std::size_t pos = 0;
    while (pos < input.size() && text::is_space(input[pos]))
        ++pos;
    const std::string_view rest = input.substr(pos);
    Specifier spec;
    std::size_t op_len = 2;
    if (rest.starts_with("===")) {
        spec.op_ = SpecOp::arbitrary;
        op_len = 3;
    } else if (rest.starts_with("~=")) {
        spec.op_ = SpecOp::compatible;
    } else if (rest.starts_with("==")) {
        spec.op_ = SpecOp::equal;
    } else if (rest.starts_with("!=")) {
        spec.op_ = SpecOp::not_equal;
    } else if (rest.starts_with("<=")) {
        spec.op_ = SpecOp::less_equal;
    } else if (rest.starts_with(">=")) {
        spec.op_ = SpecOp::greater_equal;
    } else if (rest.starts_with("<")) {
        spec.op_ = SpecOp::less;
        op_len = 1;
    } else if (rest.starts_with(">")) {
        spec.op_ = SpecOp::greater;
        op_len = 1;
    } else {
        return fail(pos, "expected an operator (~=, ==, !=, <=, >=, <, >, ===)");
    }
    pos += op_len;
    while (pos < input.size() && text::is_space(input[pos]))
        ++pos;
    const std::size_t vstart = pos;
    std::size_t vend = input.size();
    while (vend > vstart && text::is_space(input[vend - 1]))
        --vend;
    const std::string_view vtext = input.substr(vstart, vend - vstart);
    spec.text_ = std::string(vtext);

    if (spec.op_ == SpecOp::arbitrary) {
        for (std::size_t i = 0; i < vtext.size(); ++i) {
            const char ch = vtext[i];
            if (text::is_space(ch) || ch == ';' || ch == ')') {
                return fail(vstart + i, "unexpected character in arbitrary version");
            }
        }
        if (auto v = Version::parse_raw(vtext)) {
            spec.version_ = std::move(*v);
            spec.prereleases_ = spec.version_->is_prerelease();
        }
        return spec;
    }
    if (vtext.empty())
        return fail(vstart, "expected a version after the operator");

    const bool eq_like = spec.op_ == SpecOp::equal || spec.op_ == SpecOp::not_equal;
    std::string_view body = vtext;
    if (body.ends_with(".*")) {
        if (!eq_like)
            return fail(vstart + body.size() - 2, "'.*' is only allowed with == and !=");
        body.remove_suffix(2);
        spec.wildcard_ = true;
        if (body.empty() || !text::is_digit(body.back())) {
            return fail(vstart + body.size(), "'.*' must follow a release number");
        }
    }
    auto parsed = Version::parse_raw(body);
    if (!parsed)
        return fail(vstart + parsed.error().pos, parsed.error().reason);
    Version& v = *parsed;
    if (spec.wildcard_ && (v.pre() || v.post() || v.dev() || v.has_local())) {
        return fail(vstart, "'.*' cannot follow a pre, post, dev or local version");
    }
    if (v.has_local() && !eq_like) {
        return fail(vstart + body.find('+'), "a local version is only allowed with == and !=");
    }
    if (spec.op_ == SpecOp::compatible && v.release().size() < 2) {
        return fail(vstart, "~= needs at least two release segments (e.g. ~=2.2)");
    }

    if (spec.wildcard_) {
        spec.prefix_ = Prefix{false, v, false};
    } else if (spec.op_ == SpecOp::compatible) {
        // The upper bound of ~= is a prefix match on all but the last release
        // item, computed from the text exactly as packaging does.
        auto items = split_version_text(vtext);
        std::size_t keep = 0;
        while (keep < items.size() && !starts_with_suffix_word(items[keep]))
            ++keep;
        if (keep > 0)
            --keep;
        std::string joined = items.empty() ? std::string("0") : items[0];
        joined.push_back('!');
        for (std::size_t i = 1; i < keep; ++i) {
            if (i > 1)
                joined.push_back('.');
            joined.append(items[i]);
        }
        Prefix prefix;
        if (auto pv = Version::parse_raw(joined); pv && keep >= 2) {
            prefix.has_suffix = pv->pre() || pv->post() || pv->dev();
            prefix.version = std::move(*pv);
        } else {
            prefix.never = true;
        }
        spec.prefix_ = std::move(prefix);
    }
    // packaging 26: every operator but != (and a == wildcard, which cannot
    // name one) admits pre-releases when its version is one: `<1.0rc1` too.
    if (spec.op_ != SpecOp::not_equal && !spec.wildcard_)
        spec.prereleases_ = v.is_prerelease();
    spec.version_ = std::move(v);
    return spec;
}

bool Specifier::prefix_matches(const Version& v) const {
    const Prefix& p = *prefix_;
    if (p.never)
        return false;
    if (v.epoch() != p.version.epoch())
        return false;
    const auto want = p.version.release();
    const auto have = v.release();
    for (std::size_t i = 0; i < want.size(); ++i) {
        if ((i < have.size() ? have[i] : 0) != want[i])
            return false;
    }
    if (!p.has_suffix)
        return true;
    if (have.size() > want.size())
        return false;
    SuffixPart a[3];
    SuffixPart b[3];
    const std::size_t na = suffix_parts(p.version, a);
    const std::size_t nb = suffix_parts(v, b);
    if (nb < na)
        return false;
    return std::equal(a, a + na, b);
}

bool Specifier::matches(const Version& v) const {
    if (op_ == SpecOp::arbitrary) {
        return text::iequals(v.to_string(), text_);
    }
    const Version& s = *version_;
    switch (op_) {
        case SpecOp::compatible:
            return v.compare_public(s) >= 0 && prefix_matches(v);
        case SpecOp::equal:
        case SpecOp::not_equal: {
            bool eq = false;
            if (wildcard_) {
                eq = prefix_matches(v);
            } else if (s.has_local()) {
                eq = v == s;
            } else {
                eq = v.compare_public(s) == 0;
            }
            return op_ == SpecOp::equal ? eq : !eq;
        }
        case SpecOp::less_equal:
            return v.compare_public(s) <= 0;
        case SpecOp::greater_equal:
            return v.compare_public(s) >= 0;
        case SpecOp::less:
            // Below V.dev0 when V is not a pre-release: V's own pre-releases
            // are out (packaging 26.1: for V.postN that is V.postN.devM only).
            if (v.compare_public(s) >= 0)
                return false;
            if (s.is_prerelease() || v.compare_base(s) != 0)
                return true;
            if (!s.is_postrelease())
                return false;
            return v.pre() || v.post() != s.post() || !v.dev();
        case SpecOp::greater: {
            // Above V, its local versions and, unless V is a dev or post
            // release, its post-releases (same release and pre as V).
            if (v.compare_public(s) <= 0)
                return false;
            if (s.is_devrelease() || s.is_postrelease())
                return true;
            return v.compare_base(s) != 0 || v.pre() != s.pre();
        }
        case SpecOp::arbitrary:
            break;
    }
    return false;
}

bool Specifier::contains(const Version& v, std::optional<bool> prereleases) const {
    // packaging 26: one version has no alternatives, so unless pre-releases
    // are refused outright, PEP 440 lets a matching pre-release in.
    if (v.is_prerelease() && prereleases == false)
        return false;
    return matches(v);
}

std::string Specifier::to_string() const {
    std::string out(standards::to_string(op_));
    out.append(text_);
    return out;
}

namespace {
// Orders clauses by their printed text (as packaging prints a set), printing
// each once.
void sort_by_text(std::vector<Specifier>& specs) {
    if (specs.size() < 2)
        return;
    std::vector<std::pair<std::string, std::size_t>> keys;
    keys.reserve(specs.size());
    for (std::size_t i = 0; i < specs.size(); ++i)
        keys.emplace_back(specs[i].to_string(), i);
    std::stable_sort(keys.begin(), keys.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Specifier> sorted;
    sorted.reserve(specs.size());
    for (const auto& k : keys)
        sorted.push_back(std::move(specs[k.second]));
    specs = std::move(sorted);
}

// packaging's Specifier equality: same operator and the same
// canonicalize_version() of the text (trailing zeros dropped except for ~=).
bool same_canonical(const Specifier& a, const Specifier& b) {
    if (a.op() != b.op())
        return false;
    const bool versioned = a.version() && b.version() && !a.is_wildcard() && !b.is_wildcard();
    if (!versioned) {
        if (a.version().has_value() != b.version().has_value() ||
            a.is_wildcard() != b.is_wildcard()) {
            return false;
        }
        return a.version_text() == b.version_text();
    }
    const Version& x = *a.version();
    const Version& y = *b.version();
    if (x != y)
        return false;
    return a.op() != SpecOp::compatible || x.release().size() == y.release().size();
}
}  // namespace

Result<SpecifierSet> SpecifierSet::parse(std::string_view input) {
    SpecifierSet set;
    std::size_t start = 0;
    while (start <= input.size()) {
        std::size_t comma = input.find(',', start);
        if (comma == std::string_view::npos)
            comma = input.size();
        const std::string_view item = input.substr(start, comma - start);
        if (!text::strip(item).empty()) {
            auto spec = Specifier::parse_raw(item);
            if (!spec) {
                return std::unexpected(parse_error("version specifier", input,
                                                   start + spec.error().pos, spec.error().reason));
            }
            // packaging keeps the first of clauses that are equal after
            // canonicalizing their version (==1.0 and ==1.0.0).
            const bool seen =
                std::any_of(set.specs_.begin(), set.specs_.end(),
                            [&](const Specifier& s) { return same_canonical(s, *spec); });
            if (!seen)
                set.specs_.push_back(std::move(*spec));
        }
        start = comma + 1;
    }
    sort_by_text(set.specs_);
    return set;
}

bool SpecifierSet::allows_prereleases() const noexcept {
    return std::any_of(specs_.begin(), specs_.end(),
                       [](const Specifier& s) { return s.prereleases(); });
}

std::optional<bool> SpecifierSet::prereleases() const noexcept {
    if (allows_prereleases())
        return true;
    return std::nullopt;
}

bool SpecifierSet::contains(const Version& v, std::optional<bool> prereleases) const {
    if (v.is_prerelease() && prereleases == false)
        return false;
    return std::all_of(specs_.begin(), specs_.end(),
                       [&](const Specifier& s) { return s.contains(v, true); });
}

std::vector<std::size_t> SpecifierSet::filter_indices(std::span<const Version> versions,
                                                      std::optional<bool> prereleases) const {
    std::vector<std::size_t> finals;
    std::vector<std::size_t> pres;
    const bool fallback = !prereleases && !allows_prereleases();
    const bool allow = prereleases ? *prereleases : allows_prereleases();
    for (std::size_t i = 0; i < versions.size(); ++i) {
        const Version& v = versions[i];
        if (fallback) {
            if (!contains(v, true))
                continue;
            (v.is_prerelease() ? pres : finals).push_back(i);
        } else if (contains(v, allow)) {
            finals.push_back(i);
        }
    }
    if (fallback && finals.empty())
        return pres;
    return finals;
}

std::vector<Version> SpecifierSet::filter(std::span<const Version> versions,
                                          std::optional<bool> prereleases) const {
    std::vector<Version> out;
    for (std::size_t i : filter_indices(versions, prereleases))
        out.push_back(versions[i]);
    return out;
}

std::string SpecifierSet::to_string() const {
    std::string out;
    for (const auto& s : specs_) {
        if (!out.empty())
            out.push_back(',');
        out += s.to_string();
    }
    return out;
}

SpecifierSet& SpecifierSet::operator&=(const SpecifierSet& other) {
    for (const auto& s : other.specs_) {
        if (std::find(specs_.begin(), specs_.end(), s) == specs_.end())
            specs_.push_back(s);
    }
    sort_by_text(specs_);
    return *this;
}

}  // namespace omni::standards
