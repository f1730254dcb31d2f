// Demos are guests: by default they run on a scratch home and the user's
// home is byte-for-byte as before; with --here they use it and undo what
// they added.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

// Every entry under `root`: its kind, mode, link target and content hash.
std::string listing(const stdfs::path& root) {
    std::vector<std::string> lines;
    for (const auto& e : stdfs::recursive_directory_iterator(root)) {
        const auto rel = stdfs::relative(e.path(), root).string();
        const auto st = e.symlink_status();
        std::string line = rel + " " + std::to_string(static_cast<int>(st.permissions()));
        if (stdfs::is_symlink(st))
            line += " -> " + stdfs::read_symlink(e.path()).string();
        else if (stdfs::is_regular_file(st))
            line += " " + sha256_file(e.path());
        else
            line += " dir";
        lines.push_back(line);
    }
    std::ranges::sort(lines);
    std::string out;
    for (const auto& l : lines)
        out += l + "\n";
    return out;
}

std::string scratch_of(const std::string& out) {
    const std::string mark = "working in a scratch home: ";
    const auto at = out.find(mark);
    if (at == std::string::npos)
        return {};
    const auto start = at + mark.size();
    return out.substr(start, out.find(' ', start) - start);
}

}  // namespace

TEST_CASE("omni demo 1 runs on a scratch home and leaves the user's home as it was") {
    if (!test::pyenv_python("3.9") || !test::pyenv_python("3.11") || !test::pyenv_python("3.12"))
        return;
    test::OmniHome home;
    REQUIRE(home.omni({"swap", "python", "3.11"}).ok());
    const auto before = listing(home.root());
    const auto r = home.omni({"demo", "1", "--keep"});
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK(r.out.find("PASS omni demo 1") != std::string::npos);
    CHECK(listing(home.root()) == before);
    // It said where it worked, and --keep kept it, bubbles and all.
    const stdfs::path scratch = scratch_of(r.out);
    REQUIRE_FALSE(scratch.empty());
    CHECK(stdfs::exists(scratch / "bubbles"));
    CHECK_FALSE(stdfs::is_empty(scratch / "bubbles"));
    fs::remove_tree(scratch);
}

TEST_CASE("omni demo 1 --here restores the global python and removes what it added") {
    if (!test::pyenv_python("3.9") || !test::pyenv_python("3.11") || !test::pyenv_python("3.12"))
        return;
    test::OmniHome home;
    REQUIRE(home.omni({"swap", "python", "3.10"}).ok());
    const auto config = [&] {
        return nlohmann::json::parse(fs::read_file(home.root() / "config.json"))["values"];
    };
    const auto active = config()["python.active"];
    std::vector<std::string> envs;
    for (const auto& e : stdfs::directory_iterator(home.root() / "envs"))
        envs.push_back(e.path().filename().string());
    const auto r = home.omni({"demo", "1", "--here"});
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK(r.out.find("PASS omni demo 1") != std::string::npos);
    CHECK(r.out.find("working in a scratch home") == std::string::npos);
    CHECK(config()["python.active"] == active);
    std::vector<std::string> after;
    for (const auto& e : stdfs::directory_iterator(home.root() / "envs"))
        after.push_back(e.path().filename().string());
    CHECK(after == envs);
    std::size_t bubbles = 0;
    for (const auto& key : stdfs::directory_iterator(home.root() / "bubbles"))
        for ([[maybe_unused]] const auto& b : stdfs::directory_iterator(key.path()))
            ++bubbles;
    CHECK(bubbles == 0);
    CHECK_FALSE(stdfs::exists(home.root() / "demo"));
}
