#pragma once
// The guided walkthroughs of `omni demo N`. Each does the real thing (real
// interpreters, real installs into real bubbles, real child processes),
// narrates its steps through DemoContext::say, times them, checks the
// outcome from evidence (interpreter versions, the file each module was
// loaded from) and ends with tables and a PASS or FAIL.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "omni/home/home.hpp"
#include "omni/index/index_client.hpp"
#include "omni/python/registry.hpp"

namespace omni::demo {

struct DemoInfo {
    int number;
    std::string name;
    std::string title;
};
const std::vector<DemoInfo>& demo_list();

// The package the multi-version demos (1, 5, 6) work with: a built-in demo
// package, or with --index a real one (rich 13.4.2, 13.6.0, 13.7.1 by default).
struct DemoSubject {
    std::string name = "omni-demo-greet";
    std::vector<std::string> versions{"1.0.0", "2.0.0", "3.0.0"};  // three, oldest first
    bool builtin = true;  // the sources are the built-in demo wheels

    // "rich==13.4.2,13.6.0,13.7.1"; the error names the text.
    static Result<DemoSubject> parse(std::string_view text);
    std::string requirement(std::size_t i) const { return name + "==" + versions.at(i); }
};

struct DemoContext {
    Home home;
    python::Registry& registry;
    const IndexClient& index;  // serves the demo packages
    std::function<void(const std::string&)> say;
    // For demos that start omni processes of their own: this omni binary,
    // and the global options that give a child the same package sources.
    std::filesystem::path executable;
    std::vector<std::string> source_args;
    DemoSubject subject;
};

struct DemoTable {
    std::string title;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

struct DemoResult {
    bool passed = false;
    std::vector<DemoTable> tables;
    std::vector<std::string> summary;
    std::string failure;  // why it failed
};

// By number ("1") or name ("multiverse"); Error(not_found) listing the demos.
const DemoInfo& find_demo(const std::string& which);
DemoResult run_demo(const DemoInfo& demo, DemoContext& context);

}  // namespace omni::demo
