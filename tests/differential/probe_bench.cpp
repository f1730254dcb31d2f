#include "probe_bench.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "omni/standards/marker.hpp"
#include "omni/standards/requirement.hpp"
#include "omni/standards/specifier.hpp"
#include "omni/standards/version.hpp"

namespace omni::probe {

namespace {

using namespace omni::standards;
using Clock = std::chrono::steady_clock;

std::vector<std::string> read_lines(std::string_view path) {
    std::ifstream in{std::string(path)};
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line))
        out.push_back(line);
    return out;
}

// Runs `body` (which performs `ops` operations) until at least 0.3 s have
// passed; returns operations per second.
template <class F>
double measure(std::size_t ops, F&& body) {
    std::size_t total = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    do {
        body();
        total += ops;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < 0.3);
    return static_cast<double>(total) / elapsed;
}

volatile std::size_t sink = 0;

}  // namespace

void bench(std::string_view what, std::string_view path, std::string& out) {
    const auto lines = read_lines(path);
    double rate = 0;
    if (what == "parse") {
        rate = measure(lines.size(), [&] {
            for (const auto& l : lines)
                sink = sink + Version::parse(l).has_value();
        });
    } else if (what == "compare" || what == "sort" || what == "hash") {
        std::vector<Version> vs;
        for (const auto& l : lines)
            vs.push_back(*Version::parse(l));
        if (what == "compare") {
            rate = measure(vs.size() - 1, [&] {
                for (std::size_t i = 0; i + 1 < vs.size(); ++i)
                    sink = sink + (vs[i] < vs[i + 1]);
            });
        } else if (what == "hash") {
            rate = measure(vs.size(), [&] {
                for (const auto& v : vs)
                    sink = sink + v.hash();
            });
        } else {
            // Like Python's sorted(list): a new sequence of references.
            rate = measure(1, [&] {
                std::vector<const Version*> refs;
                refs.reserve(vs.size());
                for (const auto& v : vs)
                    refs.push_back(&v);
                std::sort(refs.begin(), refs.end(),
                          [](const Version* a, const Version* b) { return *a < *b; });
                sink = sink + refs.size();
            });
        }
    } else if (what == "spec_parse") {
        rate = measure(lines.size(), [&] {
            for (const auto& l : lines)
                sink = sink + SpecifierSet::parse(l).has_value();
        });
    } else if (what == "contains") {
        // Lines: "set\x1fversion".
        std::vector<std::pair<SpecifierSet, Version>> cases;
        for (const auto& l : lines) {
            const auto sep = l.find('\x1f');
            cases.emplace_back(*SpecifierSet::parse(l.substr(0, sep)),
                               *Version::parse(l.substr(sep + 1)));
        }
        rate = measure(cases.size(), [&] {
            for (const auto& [s, v] : cases)
                sink = sink + s.contains(v);
        });
    } else if (what == "requirement") {
        rate = measure(lines.size(), [&] {
            for (const auto& l : lines)
                sink = sink + Requirement::parse(l).has_value();
        });
    } else if (what == "marker") {
        std::vector<Marker> ms;
        for (const auto& l : lines)
            ms.push_back(*Marker::parse(l));
        MarkerEnvironment env;
        env.python_version = "3.11";
        env.python_full_version = "3.11.7";
        env.sys_platform = "linux";
        env.os_name = "posix";
        env.platform_machine = "x86_64";
        env.implementation_name = "cpython";
        env.platform_release = "6.1.0";
        env.platform_system = "Linux";
        env.platform_version = "1";
        env.platform_python_implementation = "CPython";
        env.implementation_version = "3.11.7";
        rate = measure(ms.size(), [&] {
            for (const auto& m : ms)
                sink = sink + m.evaluate(env);
        });
    } else {
        out += "unknown-bench";
        return;
    }
    out += std::to_string(rate);
}

}  // namespace omni::probe
