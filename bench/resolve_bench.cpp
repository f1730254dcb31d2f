// Resolves generated dependency graphs with the PubGrub resolver and
// prints one Markdown row per graph (median of 5 runs).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include <fmt/format.h>

#include "omni/resolve/memory_source.hpp"
#include "omni/resolve/resolver.hpp"
#include "omni/util/error.hpp"

using namespace omni;

namespace {

struct Graph {
    int packages;
    int versions;
    unsigned seed;
};

resolve::MemorySource generate(const Graph& g) {
    std::mt19937 rng(g.seed);
    resolve::MemorySource source;
    for (int p = 0; p < g.packages; ++p) {
        for (int v = 1; v <= g.versions; ++v) {
            std::vector<std::string> reqs;
            for (int k = 0; k < 3 && p + 1 < g.packages; ++k) {
                const int span = std::min(12, g.packages - p - 1);
                const int q = p + 1 + static_cast<int>(rng() % static_cast<unsigned>(span));
                const int lo = 1 + static_cast<int>(rng() % static_cast<unsigned>(g.versions / 2));
                const int hi = lo + 3 + static_cast<int>(rng() % 15);
                reqs.push_back(fmt::format("p{}>={},<{}", q, lo, hi));
            }
            source.add(fmt::format("p{}", p), std::to_string(v), reqs);
        }
    }
    return source;
}

}  // namespace

int main() {
    fmt::print("| graph | outcome | packages picked | decisions | conflicts | median ms |\n");
    fmt::print("|---|---|---:|---:|---:|---:|\n");
    for (const Graph& g : {Graph{100, 30, 1}, Graph{300, 30, 7}, Graph{300, 30, 42}}) {
        std::vector<double> times;
        std::string outcome;
        resolve::Resolution last;
        for (int run = 0; run < 5; ++run) {
            auto source = generate(g);
            resolve::ResolveOptions options;
            options.requirements.push_back(resolve::parse_simple_requirement("p0"));
            const auto start = std::chrono::steady_clock::now();
            try {
                last = resolve::solve(source, options);
                outcome = "resolved";
            } catch (const Error& e) {
                outcome = e.code() == ErrorCode::conflict ? "no solution (explained)" : e.what();
            }
            times.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count());
        }
        std::sort(times.begin(), times.end());
        fmt::print("| {} packages x {} versions, seed {} | {} | {} | {} | {} | {:.1f} |\n",
                   g.packages, g.versions, g.seed, outcome, last.packages.size(), last.decisions,
                   last.conflicts, times[times.size() / 2]);
    }
}
