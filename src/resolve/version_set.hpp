#pragma once
// A set of versions of one package, as bits over that package's known
// candidates (sorted ascending). A finite domain makes every set operation a
// word operation and lets PEP 440's rules (pre-releases, locals, wildcards)
// be decided by the specifier itself, candidate by candidate.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace omni::resolve {

class VersionSet {
  public:
    VersionSet() = default;
    static VersionSet none(std::size_t size) { return VersionSet(size, false); }
    static VersionSet all(std::size_t size) { return VersionSet(size, true); }

    std::size_t domain_size() const { return size_; }
    bool contains(std::size_t i) const { return (words_[i / 64] >> (i % 64)) & 1u; }
    void insert(std::size_t i) { words_[i / 64] |= std::uint64_t{1} << (i % 64); }

    bool empty() const {
        for (auto w : words_)
            if (w != 0)
                return false;
        return true;
    }
    bool is_all() const { return complement().empty(); }
    std::size_t count() const {
        std::size_t n = 0;
        for (auto w : words_)
            n += static_cast<std::size_t>(std::popcount(w));
        return n;
    }
    // Highest member, or size when empty.
    std::size_t highest() const {
        for (std::size_t w = words_.size(); w-- > 0;)
            if (words_[w] != 0)
                return w * 64 + 63 - static_cast<std::size_t>(std::countl_zero(words_[w]));
        return size_;
    }

    // Lowest member, or size when empty.
    std::size_t lowest() const {
        for (std::size_t w = 0; w < words_.size(); ++w)
            if (words_[w] != 0)
                return w * 64 + static_cast<std::size_t>(std::countr_zero(words_[w]));
        return size_;
    }

    VersionSet intersect(const VersionSet& o) const {
        return combine(o, [](auto a, auto b) { return a & b; });
    }
    VersionSet unite(const VersionSet& o) const {
        return combine(o, [](auto a, auto b) { return a | b; });
    }
    VersionSet minus(const VersionSet& o) const {
        return combine(o, [](auto a, auto b) { return a & ~b; });
    }
    VersionSet complement() const {
        VersionSet out = *this;
        for (auto& w : out.words_)
            w = ~w;
        out.trim();
        return out;
    }
    // These two run on every relation check: word loops, no temporaries.
    bool subset_of(const VersionSet& o) const {
        for (std::size_t i = 0; i < words_.size(); ++i)
            if ((words_[i] & ~o.words_[i]) != 0)
                return false;
        return true;
    }
    bool disjoint(const VersionSet& o) const {
        for (std::size_t i = 0; i < words_.size(); ++i)
            if ((words_[i] & o.words_[i]) != 0)
                return false;
        return true;
    }
    bool operator==(const VersionSet& o) const = default;

  private:
    VersionSet(std::size_t size, bool full)
        : size_(size), words_((size + 63) / 64, full ? ~std::uint64_t{0} : 0) {
        trim();
    }
    template <class F>
    VersionSet combine(const VersionSet& o, F f) const {
        VersionSet out = *this;
        for (std::size_t i = 0; i < words_.size(); ++i)
            out.words_[i] = f(words_[i], o.words_[i]);
        return out;
    }
    void trim() {
        if (size_ % 64 != 0 && !words_.empty())
            words_.back() &= (std::uint64_t{1} << (size_ % 64)) - 1;
    }

    std::size_t size_ = 0;
    std::vector<std::uint64_t> words_;
};

}  // namespace omni::resolve
