// Fetches the pages and wheels of bench000..bench<N-1> from an index into a
// fresh omni home, verifying every hash, and prints the wall time in ms.
// Usage: omni_download_bench INDEX_URL HOME COUNT [IN_FLIGHT]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "omni/index/index_client.hpp"

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s INDEX_URL HOME COUNT [IN_FLIGHT]\n", argv[0]);
        return 2;
    }
    omni::IndexOptions options;
    options.index_url = argv[1];
    if (argc > 4)
        options.transport.max_in_flight = std::stoul(argv[4]);
    const omni::IndexClient client(omni::Home(argv[2]), options);
    const int count = std::atoi(argv[3]);
    const auto start = std::chrono::steady_clock::now();
    try {
        std::vector<omni::DistFile> files;
        for (int i = 0; i < count; ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "bench%03d", i);
            files.push_back(client.project_page(name).files.at(0));
        }
        client.fetch_wheels(files);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    std::printf("%lld\n", static_cast<long long>(ms));
    return 0;
}
