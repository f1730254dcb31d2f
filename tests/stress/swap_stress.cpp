// 6 processes each run `omni swap python <3.9|3.10|3.11>` 50 times while
// readers run $OMNI_HOME/bin/python -V in a loop. Every reader call must
// succeed (a shim is never missing or half-written), and at the end the
// config and the shims must name the same interpreter (the shims read
// the config when they run).
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/temp_dir.hpp"

namespace stdfs = std::filesystem;
using namespace omni;

namespace {

constexpr int skip_code = 77;
const std::vector<std::string> versions = {"3.9", "3.10", "3.11"};

stdfs::path pyenv_root() {
    if (const char* root = std::getenv("PYENV_ROOT"); root != nullptr && *root != '\0')
        return root;
    const char* home = std::getenv("HOME");
    return stdfs::path(home != nullptr ? home : "/root") / ".pyenv";
}

ProcessResult run(const std::vector<std::string>& argv, const stdfs::path& home) {
    ProcessOptions options;
    options.argv = argv;
    options.env = {{"OMNI_HOME", home.string()},
                   {"PYENV_ROOT", pyenv_root().string()},
                   {"OMNI_PYTHON", std::nullopt},
                   {"VIRTUAL_ENV", std::nullopt}};
    options.timeout = std::chrono::seconds(60);
    return run_process(options);
}

}  // namespace

int main() {
    for (const auto& v : versions) {
        std::error_code ec;
        bool found = false;
        for (const auto& e : stdfs::directory_iterator(pyenv_root() / "versions", ec))
            found = found || e.path().filename().string().starts_with(v + ".");
        if (!found) {
            const char* ci = std::getenv("CI");
            fmt::print(stderr, "Python {} is not in {}/versions\n", v, pyenv_root().string());
            return ci != nullptr && std::string(ci) == "true" ? 1 : skip_code;
        }
    }
    test::TempDir dir;
    const auto home = dir / "omni-home";
    const auto started = std::chrono::steady_clock::now();
    // Warm up: registry and the three main envs.
    for (const auto& v : versions) {
        const auto r = run({OMNI_BINARY, "swap", "python", v}, home);
        if (!r.ok()) {
            fmt::print(stderr, "warm-up swap {} failed: {}\n{}", v, r.describe(), r.err);
            return 1;
        }
    }

    std::atomic<bool> writing{true};
    std::atomic<int> swap_failures{0};
    std::atomic<int> reads{0};
    std::atomic<int> read_failures{0};
    std::vector<std::thread> readers;
    for (int i = 0; i < 2; ++i) {
        readers.emplace_back([&] {
            while (writing) {
                const auto r = run({(home / "bin" / "python").string(), "-V"}, home);
                ++reads;
                const auto text = r.out + r.err;
                if (!r.ok() || !text.starts_with("Python 3.")) {
                    ++read_failures;
                    fmt::print(stderr, "reader failed: {}: {}\n", r.describe(), text);
                }
            }
        });
    }
    std::vector<std::thread> writers;
    for (int w = 0; w < 6; ++w) {
        writers.emplace_back([&, w] {
            std::mt19937 random(static_cast<unsigned>(w) * 7919U + 17U);
            for (int i = 0; i < 50; ++i) {
                const auto& v = versions[random() % versions.size()];
                const auto r = run({OMNI_BINARY, "swap", "python", v}, home);
                if (!r.ok()) {
                    ++swap_failures;
                    fmt::print(stderr, "swap {} failed: {}\n{}", v, r.describe(), r.err);
                }
            }
        });
    }
    for (auto& t : writers)
        t.join();
    writing = false;
    for (auto& t : readers)
        t.join();

    // The final config names the interpreter whose main env the shims run.
    const auto config = nlohmann::json::parse(fs::read_file(home / "config.json"));
    const auto active = config["values"]["python.active"].get<std::string>();
    const auto version =
        run({active, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"}, home);
    std::string mm = version.out;
    while (!mm.empty() && mm.back() == '\n')
        mm.pop_back();
    const auto expected_env = (home / "envs" / ("cpython-" + mm)).string();
    int mismatches = 0;
    for (const auto& name : {std::string("python"), std::string("python3"), "python" + mm}) {
        const auto shim =
            run({(home / "bin" / name).string(), "-c", "import sys; print(sys.prefix)"}, home);
        if (shim.out != expected_env + "\n") {
            ++mismatches;
            fmt::print(stderr, "shim {} does not run {}: {}{}", name, expected_env, shim.out,
                       shim.err);
        }
    }
    const auto r =
        run({(home / "bin" / "python").string(), "-c", "import sys; print(sys.prefix)"}, home);
    if (r.out != expected_env + "\n")
        ++mismatches;
    // The other versions' python3.Y shims refuse: they are not chosen.
    for (const auto& v : versions) {
        if (v != mm &&
            run({(home / "bin" / ("python" + v)).string(), "-V"}, home).exit_code != 127) {
            ++mismatches;
            fmt::print(stderr, "python{} ran although {} is chosen\n", v, mm);
        }
    }
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print(
        "300 swaps, {} reads in {:.1f} s; swap failures {}, read failures {}, final {} "
        "mismatches {}\n",
        reads.load(), seconds, swap_failures.load(), read_failures.load(), mm, mismatches);
    return swap_failures == 0 && read_failures == 0 && mismatches == 0 && reads > 0 ? 0 : 1;
}
