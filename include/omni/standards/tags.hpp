#pragma once
// PEP 425 compatibility tags: the ordered list of tags an interpreter
// supports, in the same order as packaging.tags.sys_tags(), and the ranking
// of a wheel's tags against it (lower rank = better wheel).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace omni::standards {

struct Tag {
    std::string interpreter;  // "cp311", "py3"
    std::string abi;          // "cp311", "abi3", "none"
    std::string platform;     // "manylinux_2_17_x86_64", "any"
    std::string to_string() const { return interpreter + "-" + abi + "-" + platform; }
    bool operator==(const Tag&) const = default;
};

// What the tags depend on, as an interpreter query reports it.
struct InterpreterFacts {
    std::string implementation = "cp";  // packaging's interpreter_name(): cp, pp, ...
    unsigned major = 3;
    unsigned minor = 0;
    std::string abiflags;  // sys.abiflags: "", "d", "t", "m", "dmu" ...
    std::string soabi;     // EXT_SUFFIX's middle part, for non-CPython
    std::string platform;  // sysconfig.get_platform(): "linux-x86_64"
    std::optional<std::pair<unsigned, unsigned>> glibc;  // (2, 36); none on musl
    std::optional<std::pair<unsigned, unsigned>> musl;   // (1, 2)
    unsigned pointer_size = 8;                           // 4 on a 32-bit interpreter
};

// The platform tags, best first ("manylinux_2_36_x86_64" ... "linux_x86_64").
std::vector<std::string> platform_tags(const InterpreterFacts& facts);

// Every supported tag, best first, exactly as packaging.tags.sys_tags().
std::vector<Tag> supported_tags(const InterpreterFacts& facts);

// Ranks tags by their position in a supported list.
class TagRanker {
  public:
    explicit TagRanker(std::vector<Tag> supported);
    // Position of the tag, nullopt when unsupported.
    std::optional<std::size_t> rank(const Tag& tag) const;
    // Best (smallest) position over a wheel's tag set.
    std::optional<std::size_t> best_rank(const std::vector<Tag>& tags) const;
    const std::vector<Tag>& supported() const noexcept { return supported_; }

  private:
    std::vector<Tag> supported_;
    std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace omni::standards
