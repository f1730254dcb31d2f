#pragma once
// The guided walkthroughs of `omni demo N`. Each does the real thing (real
// interpreters, real installs into real bubbles, real child processes),
// narrates its steps through DemoContext::say, times them, checks the
// outcome from evidence (interpreter versions, the file each module was
// loaded from) and ends with tables and a PASS or FAIL.
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

struct DemoContext {
    Home home;
    python::Registry& registry;
    const IndexClient& index;  // serves the demo packages
    std::function<void(const std::string&)> say;
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
