#include "omni/standards/tags.hpp"

#include <algorithm>

namespace omni::standards {

namespace {

std::string nodot(unsigned major, unsigned minor) {
    return std::to_string(major) + std::to_string(minor);
}

std::string normalize(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c == '-' || c == '.' || c == ' ')
            c = '_';
    }
    return out;
}

bool has(std::string_view flags, char c) {
    return flags.find(c) != std::string_view::npos;
}

std::vector<std::string> cpython_abis(const InterpreterFacts& f) {
    const std::string version = nodot(f.major, f.minor);
    const bool debug = has(f.abiflags, 'd');
    const bool at_least_38 = f.major > 3 || (f.major == 3 && f.minor >= 8);
    const bool at_least_313 = f.major > 3 || (f.major == 3 && f.minor >= 13);
    const std::string threading = at_least_313 && has(f.abiflags, 't') ? "t" : "";
    std::string first = "cp";
    first.append(version).append(threading);
    if (debug)
        first.push_back('d');
    if (!at_least_38) {
        if (has(f.abiflags, 'm'))
            first.push_back('m');
        const bool narrow_era = f.major < 3 || (f.major == 3 && f.minor < 3);
        if (narrow_era && has(f.abiflags, 'u'))
            first.push_back('u');
    }
    std::vector<std::string> abis;
    abis.push_back(std::move(first));
    // Debug builds can also load the extensions of normal builds (3.8+).
    if (at_least_38 && debug)
        abis.push_back("cp" + version + threading);
    return abis;
}

std::vector<std::string> generic_abis(const InterpreterFacts& f) {
    const std::string& soabi = f.soabi;
    auto split = [](std::string_view s) {
        std::vector<std::string> parts;
        std::size_t start = 0;
        while (true) {
            const std::size_t dash = s.find('-', start);
            parts.emplace_back(s.substr(start, dash - start));
            if (dash == std::string_view::npos)
                break;
            start = dash + 1;
        }
        return parts;
    };
    auto join = [](const std::vector<std::string>& parts, std::size_t n) {
        std::string out;
        for (std::size_t i = 0; i < std::min(n, parts.size()); ++i) {
            if (i)
                out += "-";
            out += parts[i];
        }
        return out;
    };
    if (soabi.empty())
        return cpython_abis(f);
    const auto parts = split(soabi);
    std::string abi;
    if (soabi.starts_with("cpython")) {
        abi = "cp" + (parts.size() > 1 ? parts[1] : std::string());
    } else if (soabi.starts_with("cp")) {
        abi = parts[0];
    } else if (soabi.starts_with("pypy")) {
        abi = join(parts, 2);
    } else if (soabi.starts_with("graalpy")) {
        abi = join(parts, 3);
    } else {
        abi = soabi;
    }
    return {normalize(abi)};
}

constexpr std::string_view manylinux_archs[] = {
    "x86_64", "aarch64", "ppc64", "ppc64le", "s390x", "loongarch64", "riscv64", "i686", "armv7l"};

void manylinux_tags(const InterpreterFacts& f, const std::vector<std::string>& archs,
                    std::vector<std::string>& out) {
    if (!f.glibc)
        return;
    const bool any_allowed = std::any_of(archs.begin(), archs.end(), [](const std::string& a) {
        return std::find(std::begin(manylinux_archs), std::end(manylinux_archs), a) !=
               std::end(manylinux_archs);
    });
    if (!any_allowed)
        return;
    const auto [cur_major, cur_minor] = *f.glibc;
    const bool x86 = std::any_of(archs.begin(), archs.end(),
                                 [](const std::string& a) { return a == "x86_64" || a == "i686"; });
    const unsigned old_major = 2;
    const int old_minor = x86 ? 4 : 16;
    std::vector<std::pair<unsigned, unsigned>> maxima = {{cur_major, cur_minor}};
    for (unsigned major = cur_major - 1; major > 1; --major)
        maxima.emplace_back(major, 50);
    for (const auto& arch : archs) {
        for (const auto& [major, max_minor] : maxima) {
            const int min_minor = major == old_major ? old_minor : -1;
            for (int minor = static_cast<int>(max_minor); minor > min_minor; --minor) {
                const auto m = static_cast<unsigned>(minor);
                const bool compatible = major < cur_major || (major == cur_major && m <= cur_minor);
                if (!compatible)
                    continue;
                out.push_back("manylinux_" + std::to_string(major) + "_" + std::to_string(m) + "_" +
                              arch);
                if (major == 2 && m == 17)
                    out.push_back("manylinux2014_" + arch);
                if (major == 2 && m == 12)
                    out.push_back("manylinux2010_" + arch);
                if (major == 2 && m == 5)
                    out.push_back("manylinux1_" + arch);
            }
        }
    }
}

std::vector<std::string> py_range(const InterpreterFacts& f) {
    std::vector<std::string> out = {"py" + nodot(f.major, f.minor), "py" + std::to_string(f.major)};
    for (int minor = static_cast<int>(f.minor) - 1; minor >= 0; --minor) {
        out.push_back("py" + nodot(f.major, static_cast<unsigned>(minor)));
    }
    return out;
}

}  // namespace

std::vector<std::string> platform_tags(const InterpreterFacts& f) {
    std::string linux = normalize(f.platform);
    if (!linux.starts_with("linux_"))
        return {linux};
    if (f.pointer_size == 4) {
        if (linux == "linux_x86_64")
            linux = "linux_i686";
        if (linux == "linux_aarch64")
            linux = "linux_armv8l";
    }
    const std::string arch = linux.substr(6);
    std::vector<std::string> archs = {arch};
    if (arch == "armv8l")
        archs.push_back("armv7l");
    std::vector<std::string> out;
    manylinux_tags(f, archs, out);
    if (f.musl) {
        for (const auto& a : archs) {
            for (int minor = static_cast<int>(f.musl->second); minor >= 0; --minor) {
                out.push_back("musllinux_" + std::to_string(f.musl->first) + "_" +
                              std::to_string(minor) + "_" + a);
            }
        }
    }
    for (const auto& a : archs)
        out.push_back("linux_" + a);
    return out;
}

std::vector<Tag> supported_tags(const InterpreterFacts& f) {
    const auto platforms = platform_tags(f);
    std::vector<Tag> out;
    const std::string version = nodot(f.major, f.minor);
    std::string interp;
    if (f.implementation == "cp") {
        interp = "cp" + version;
        auto abis = cpython_abis(f);
        for (const auto& abi : abis) {
            for (const auto& p : platforms)
                out.push_back({interp, abi, p});
        }
        // packaging: a "t" among the flags of the first ABI means free-threaded.
        std::size_t digits = 2;
        while (digits < abis[0].size() && abis[0][digits] >= '0' && abis[0][digits] <= '9') {
            ++digits;
        }
        const bool threaded = abis[0].find('t', digits) != std::string::npos;
        const bool use_abi3 = !threaded && (f.major > 3 || (f.major == 3 && f.minor >= 2));
        if (use_abi3) {
            for (const auto& p : platforms)
                out.push_back({interp, "abi3", p});
        }
        for (const auto& p : platforms)
            out.push_back({interp, "none", p});
        if (use_abi3) {
            for (int minor = static_cast<int>(f.minor) - 1; minor > 1; --minor) {
                const std::string older = "cp" + nodot(f.major, static_cast<unsigned>(minor));
                for (const auto& p : platforms)
                    out.push_back({older, "abi3", p});
            }
        }
    } else {
        interp = f.implementation + version;
        auto abis = generic_abis(f);
        if (std::find(abis.begin(), abis.end(), "none") == abis.end())
            abis.push_back("none");
        for (const auto& abi : abis) {
            for (const auto& p : platforms)
                out.push_back({interp, abi, p});
        }
    }
    std::string compat_interp;
    if (f.implementation == "pp")
        compat_interp = "pp3";
    if (f.implementation == "cp")
        compat_interp = "cp" + version;
    const auto pys = py_range(f);
    for (const auto& py : pys) {
        for (const auto& p : platforms)
            out.push_back({py, "none", p});
    }
    if (!compat_interp.empty())
        out.push_back({compat_interp, "none", "any"});
    for (const auto& py : pys)
        out.push_back({py, "none", "any"});
    return out;
}

TagRanker::TagRanker(std::vector<Tag> supported) : supported_(std::move(supported)) {
    index_.reserve(supported_.size());
    for (std::size_t i = 0; i < supported_.size(); ++i) {
        index_.emplace(supported_[i].to_string(), i);  // first position wins
    }
}

std::optional<std::size_t> TagRanker::rank(const Tag& tag) const {
    auto it = index_.find(tag.to_string());
    if (it == index_.end())
        return std::nullopt;
    return it->second;
}

std::optional<std::size_t> TagRanker::best_rank(const std::vector<Tag>& tags) const {
    std::optional<std::size_t> best;
    for (const auto& t : tags) {
        auto r = rank(t);
        if (r && (!best || *r < *best))
            best = r;
    }
    return best;
}

}  // namespace omni::standards
