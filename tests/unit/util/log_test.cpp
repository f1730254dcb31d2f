#include <catch2/catch.hpp>

#include <string>

#include "omni/util/fs.hpp"
#include "omni/util/log.hpp"
#include "support/temp_dir.hpp"

using namespace omni;

TEST_CASE("every log message is scrubbed before the log file sees it") {
    test::TempDir dir;
    const auto file = dir / "omni.log";
    LogOptions options;
    options.terminal_level = LogLevel::off;
    options.log_file = file.string();
    options.scrub = [](std::string_view text) {
        std::string out(text);
        for (auto at = out.find("hunter2"); at != std::string::npos; at = out.find("hunter2"))
            out.replace(at, 7, "****");
        return out;
    };
    configure_logging(options);
    logger().debug("GET https://alice:hunter2@example.invalid/simple/ ({} ms)", 12);
    logger().warn("plain");
    logger().flush();
    const auto text = fs::read_file(file);
    configure_logging({LogLevel::off, "", false, {}});  // closes the file
    CHECK(text.find("hunter2") == std::string::npos);
    CHECK(text.find("GET https://alice:****@example.invalid/simple/ (12 ms)") != std::string::npos);
    CHECK(text.find("warning: plain") != std::string::npos);
}
