#include "omni/standards/version.hpp"

#include <algorithm>
#include <functional>

#include "standards/text.hpp"

namespace omni::standards {

namespace {

using text::is_alnum;
using text::is_digit;
using text::lower;

bool is_sep(char c) noexcept {
    return c == '-' || c == '_' || c == '.';
}

struct Cursor {
    std::string_view s;
    std::size_t pos = 0;
    char peek(std::size_t ahead = 0) const noexcept {
        return pos + ahead < s.size() ? s[pos + ahead] : '\0';
    }
    void skip_sep() noexcept {
        if (is_sep(peek()))
            ++pos;
    }
    // Matches the first of `words` (lowercase) that the input spells at pos.
    int match_word(std::initializer_list<std::string_view> words) noexcept {
        int index = 0;
        for (auto w : words) {
            if (text::starts_with_ci(s, pos, w)) {
                pos += w.size();
                return index;
            }
            ++index;
        }
        return -1;
    }
};

std::strong_ordering compare_numeric_text(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size())
        return a.size() <=> b.size();
    const int c = a.compare(b);
    return c < 0 ? std::strong_ordering::less
                 : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
}

bool all_digits(std::string_view s) noexcept {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c); });
}

}  // namespace

std::string_view to_string(PreKind kind) {
    switch (kind) {
        case PreKind::alpha:
            return "a";
        case PreKind::beta:
            return "b";
        case PreKind::rc:
            return "rc";
    }
    return "a";
}

void Version::push_release(std::uint64_t value) {
    if (release_size_ < inline_segments) {
        inline_release_[release_size_] = value;
    } else {
        if (release_size_ == inline_segments) {
            heap_release_.assign(inline_release_.begin(), inline_release_.end());
        }
        heap_release_.push_back(value);
    }
    ++release_size_;
}

std::span<const std::uint64_t> Version::release() const noexcept {
    if (release_size_ <= inline_segments)
        return {inline_release_.data(), release_size_};
    return {heap_release_.data(), heap_release_.size()};
}

std::uint64_t Version::release_at(std::size_t i) const noexcept {
    const auto r = release();
    return i < r.size() ? r[i] : 0;
}

std::optional<PreRelease> Version::pre() const noexcept {
    if (!has_pre_)
        return std::nullopt;
    return PreRelease{pre_kind_, pre_number_};
}
std::optional<std::uint64_t> Version::post() const noexcept {
    return has_post_ ? std::optional(post_) : std::nullopt;
}
std::optional<std::uint64_t> Version::dev() const noexcept {
    return has_dev_ ? std::optional(dev_) : std::nullopt;
}

Version Version::zero() {
    Version v;
    v.push_release(0);
    return v;
}

Result<Version> Version::parse(std::string_view input) {
    auto v = parse_raw(input);
    if (!v)
        return std::unexpected(parse_error("version", input, v.error().pos, v.error().reason));
    return std::move(*v);
}

std::expected<Version, Version::Failure> Version::parse_raw(std::string_view input) {
    std::size_t pos = 0;
    while (pos < input.size() && text::is_space(input[pos]))
        ++pos;
    auto v = scan(input, pos, ScanOptions{});
    if (!v)
        return v;
    while (pos < input.size() && text::is_space(input[pos]))
        ++pos;
    if (pos != input.size())
        return std::unexpected(Failure{pos, "unexpected character"});
    return v;
}

std::expected<Version, Version::Failure> Version::scan(std::string_view input, std::size_t& pos,
                                                       const ScanOptions& options) {
    Version v;
    Cursor c{input, pos};
    struct Sync {
        Cursor& c;
        std::size_t& pos;
        ~Sync() { pos = c.pos; }
    } sync{c, pos};
    auto fail = [&](std::size_t at, std::string_view reason) -> std::expected<Version, Failure> {
        return std::unexpected(Failure{at, reason});
    };
    auto number = [&](std::uint64_t& out) -> bool {
        const auto n = text::read_number(c.s, c.pos);
        if (!n)
            return false;
        out = *n;
        return true;
    };

    if (lower(c.peek()) == 'v')
        ++c.pos;
    if (!is_digit(c.peek()))
        return fail(c.pos, "expected a release number");

    std::size_t start = c.pos;
    std::uint64_t first = 0;
    if (!number(first))
        return fail(start, "number too large");
    if (c.peek() == '!') {
        v.epoch_ = first;
        ++c.pos;
        if (!is_digit(c.peek()))
            return fail(c.pos, "expected a release number after the epoch");
        start = c.pos;
        if (!number(first))
            return fail(start, "number too large");
    }
    v.push_release(first);
    while (c.peek() == '.' && is_digit(c.peek(1))) {
        ++c.pos;
        start = c.pos;
        std::uint64_t n = 0;
        if (!number(n))
            return fail(start, "number too large");
        v.push_release(n);
    }
    if (options.stop_at_wildcard && c.peek() == '.' && c.peek(1) == '*')
        return v;

    // Pre-release: [-_.]? (alpha|a|beta|b|preview|pre|c|rc) [-_.]? [0-9]*
    {
        const std::size_t save = c.pos;
        c.skip_sep();
        const int label = c.match_word({"alpha", "a", "beta", "b", "preview", "pre", "c", "rc"});
        if (label < 0) {
            c.pos = save;
        } else {
            v.has_pre_ = true;
            v.pre_kind_ = label < 2 ? PreKind::alpha : (label < 4 ? PreKind::beta : PreKind::rc);
            c.skip_sep();
            start = c.pos;
            if (!number(v.pre_number_))
                return fail(start, "number too large");
        }
    }
    // Post-release: -N | [-_.]? (post|rev|r) [-_.]? [0-9]*
    if (c.peek() == '-' && is_digit(c.peek(1))) {
        ++c.pos;
        start = c.pos;
        v.has_post_ = true;
        if (!number(v.post_))
            return fail(start, "number too large");
    } else {
        const std::size_t save = c.pos;
        c.skip_sep();
        if (c.match_word({"post", "rev", "r"}) < 0) {
            c.pos = save;
        } else {
            v.has_post_ = true;
            c.skip_sep();
            start = c.pos;
            if (!number(v.post_))
                return fail(start, "number too large");
        }
    }
    // Development release: [-_.]? dev [-_.]? [0-9]*
    {
        const std::size_t save = c.pos;
        c.skip_sep();
        if (c.match_word({"dev"}) < 0) {
            c.pos = save;
        } else {
            v.has_dev_ = true;
            c.skip_sep();
            start = c.pos;
            if (!number(v.dev_))
                return fail(start, "number too large");
        }
    }
    // Local label: + [a-z0-9]+ ([-_.][a-z0-9]+)*
    if (options.allow_local && c.peek() == '+') {
        ++c.pos;
        if (!is_alnum(c.peek()))
            return fail(c.pos, "expected a local version label after '+'");
        while (true) {
            const std::size_t seg = c.pos;
            while (is_alnum(c.peek()))
                ++c.pos;
            std::string_view part = input.substr(seg, c.pos - seg);
            if (!v.local_.empty())
                v.local_.push_back('.');
            if (all_digits(part)) {
                while (part.size() > 1 && part.front() == '0')
                    part.remove_prefix(1);
                v.local_.append(part);
            } else {
                for (char ch : part)
                    v.local_.push_back(lower(ch));
            }
            if (is_sep(c.peek()) && is_alnum(c.peek(1))) {
                ++c.pos;
                continue;
            }
            break;
        }
    }
    return v;
}

void Version::append_to(std::string& out) const {
    auto put = [&](std::uint64_t n) {
        char buf[24];
        char* end = buf + sizeof buf;
        char* p = end;
        do {
            *--p = static_cast<char>('0' + n % 10);
            n /= 10;
        } while (n != 0);
        out.append(p, end);
    };
    if (epoch_ != 0) {
        put(epoch_);
        out.push_back('!');
    }
    bool first = true;
    for (auto n : release()) {
        if (!first)
            out.push_back('.');
        first = false;
        put(n);
    }
    if (has_pre_) {
        out.append(standards::to_string(pre_kind_));
        put(pre_number_);
    }
    if (has_post_) {
        out.append(".post");
        put(post_);
    }
    if (has_dev_) {
        out.append(".dev");
        put(dev_);
    }
    if (!local_.empty()) {
        out.push_back('+');
        out.append(local_);
    }
}

std::string Version::to_string() const {
    std::string out;
    out.reserve(16);
    append_to(out);
    return out;
}

Version Version::base_version() const {
    Version v;
    v.epoch_ = epoch_;
    for (auto n : release())
        v.push_release(n);
    return v;
}

Version Version::public_version() const {
    Version v = *this;
    v.local_.clear();
    return v;
}

std::strong_ordering Version::compare_base(const Version& o) const noexcept {
    if (auto c = epoch_ <=> o.epoch_; c != 0)
        return c;
    const auto a = release();
    const auto b = o.release();
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t x = i < a.size() ? a[i] : 0;
        const std::uint64_t y = i < b.size() ? b[i] : 0;
        if (x != y)
            return x <=> y;
    }
    return std::strong_ordering::equal;
}

std::strong_ordering Version::compare_public(const Version& o) const noexcept {
    if (auto c = compare_base(o); c != 0)
        return c;
    // Pre-release key: a dev release of a final (no pre, no post) sorts
    // before every pre-release; no pre-release sorts after all of them.
    auto pre_rank = [](const Version& v) -> int {
        if (v.has_pre_)
            return static_cast<int>(v.pre_kind_) + 1;
        if (!v.has_post_ && v.has_dev_)
            return 0;
        return 4;
    };
    const int ra = pre_rank(*this);
    const int rb = pre_rank(o);
    if (ra != rb)
        return ra <=> rb;
    if (has_pre_ && pre_number_ != o.pre_number_)
        return pre_number_ <=> o.pre_number_;
    if (has_post_ != o.has_post_)
        return has_post_ <=> o.has_post_;
    if (has_post_ && post_ != o.post_)
        return post_ <=> o.post_;
    if (has_dev_ != o.has_dev_)
        return o.has_dev_ <=> has_dev_;  // no dev sorts last
    if (has_dev_ && dev_ != o.dev_)
        return dev_ <=> o.dev_;
    return std::strong_ordering::equal;
}

std::string canonicalize_version(std::string_view text, bool strip_trailing_zero) {
    auto parsed = Version::parse_raw(text);
    if (!parsed)
        return std::string(text);
    std::string out = parsed->to_string();
    if (!strip_trailing_zero)
        return out;
    // Drop trailing ".0" segments of the release part only.
    std::string_view rest = out;
    std::size_t bang = rest.find('!');
    std::size_t start = bang == std::string_view::npos ? 0 : bang + 1;
    std::size_t end = start;
    while (end < out.size() && (is_digit(out[end]) || out[end] == '.'))
        ++end;
    // A release part ends at the first non [0-9.] char (pre/post/dev/local);
    // ".post"/".dev" begin with '.', so step back over a dot before letters.
    if (end < out.size() && end > start && out[end - 1] == '.')
        --end;
    std::size_t cut = end;
    while (cut - start >= 3 && out[cut - 1] == '0' && out[cut - 2] == '.')
        cut -= 2;
    out.erase(cut, end - cut);
    return out;
}

std::strong_ordering compare_local(std::string_view a, std::string_view b) noexcept {
    while (true) {
        if (a.empty() || b.empty())
            return !a.empty() <=> !b.empty();
        const std::size_t ea = std::min(a.find('.'), a.size());
        const std::size_t eb = std::min(b.find('.'), b.size());
        const std::string_view sa = a.substr(0, ea);
        const std::string_view sb = b.substr(0, eb);
        const bool na = all_digits(sa);
        const bool nb = all_digits(sb);
        std::strong_ordering c = std::strong_ordering::equal;
        if (na && nb) {
            c = compare_numeric_text(sa, sb);
        } else if (na != nb) {
            c = na <=> nb;  // numbers sort above words
        } else {
            const int r = sa.compare(sb);
            c = r < 0 ? std::strong_ordering::less
                      : (r > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
        }
        if (c != 0)
            return c;
        a.remove_prefix(std::min(ea + 1, a.size()));
        b.remove_prefix(std::min(eb + 1, b.size()));
    }
}

std::strong_ordering Version::operator<=>(const Version& o) const noexcept {
    if (auto c = compare_public(o); c != 0)
        return c;
    if (local_.empty() || o.local_.empty())
        return !local_.empty() <=> !o.local_.empty();
    return compare_local(local_, o.local_);
}

std::size_t Version::hash() const noexcept {
    std::size_t h = std::hash<std::uint64_t>{}(epoch_);
    auto mix = [&](std::uint64_t x) {
        h ^= std::hash<std::uint64_t>{}(x) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    };
    auto r = release();
    std::size_t n = r.size();
    while (n > 0 && r[n - 1] == 0)
        --n;
    for (std::size_t i = 0; i < n; ++i)
        mix(r[i]);
    mix(has_pre_ ? static_cast<std::uint64_t>(pre_kind_) * 31 + pre_number_ + 1 : 0);
    mix(has_post_ ? post_ + 1 : 0);
    mix(has_dev_ ? dev_ + 1 : 0);
    mix(std::hash<std::string_view>{}(local_));
    return h;
}

}  // namespace omni::standards
