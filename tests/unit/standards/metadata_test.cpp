#include <catch2/catch.hpp>
#include <string>

#include "omni/standards/metadata.hpp"

using namespace omni::standards;

TEST_CASE("core metadata parses headers and the body") {
    const std::string text =
        "Metadata-Version: 2.1\n"
        "Name: rich\n"
        "Version: 13.4.2\n"
        "Summary: Render rich text\n"
        "Home-page: https://github.com/Textualize/rich\n"
        "License: MIT\n"
        "Keywords: a,b,\n"
        "  c\n"
        "Requires-Python: >=3.7.0\n"
        "Classifier: Development Status :: 5 - Production/Stable\n"
        "Classifier: Typing :: Typed\n"
        "Provides-Extra: jupyter\n"
        "Requires-Dist: markdown-it-py (>=2.2.0)\n"
        "Requires-Dist: pygments (>=2.13.0,<3.0.0)\n"
        "Requires-Dist: ipywidgets (>=7.5.1,<9) ; extra == \"jupyter\"\n"
        "Requires-Dist: typing-extensions (>=4.0.0,<5.0) ; python_version < \"3.9\"\n"
        "Project-URL: Documentation, https://rich.readthedocs.io/en/latest/\n"
        "Description-Content-Type: text/markdown\n"
        "\n"
        "# Rich\n"
        "\n"
        "Body text.\n";
    auto m = CoreMetadata::parse(text);
    REQUIRE(m.has_value());
    CHECK(m->metadata_version == "2.1");
    CHECK(m->name == "rich");
    CHECK(m->version.to_string() == "13.4.2");
    CHECK(m->keywords == "a,b,\n  c");
    REQUIRE(m->requires_python);
    CHECK(m->requires_python->to_string() == ">=3.7.0");
    CHECK(m->classifiers.size() == 2);
    CHECK(m->provides_extra == std::vector<std::string>{"jupyter"});
    REQUIRE(m->requires_dist.size() == 4);
    CHECK(m->requires_dist[1].to_string() == "pygments<3.0.0,>=2.13.0");
    REQUIRE(m->project_urls.size() == 1);
    CHECK(m->project_urls[0].first == "Documentation");
    CHECK(m->project_urls[0].second == "https://rich.readthedocs.io/en/latest/");
    CHECK(m->description == "# Rich\n\nBody text.\n");

    MarkerEnvironment env;
    env.python_version = "3.11";
    CHECK(m->requirements_for(env).size() == 2);
    CHECK(m->requirements_for(env, {"jupyter"}).size() == 3);
    env.python_version = "3.8";
    CHECK(m->requirements_for(env).size() == 3);
}

TEST_CASE("metadata errors name the field and the line") {
    auto no_name = CoreMetadata::parse("Metadata-Version: 1.0\nVersion: 1.0\n");
    REQUIRE_FALSE(no_name.has_value());
    CHECK(std::string(no_name.error().what()).find("no Name") != std::string::npos);

    auto bad_dist = CoreMetadata::parse(
        "Metadata-Version: 2.4\nName: x\nVersion: 1\nRequires-Dist: foo >=1.0.*\n");
    REQUIRE_FALSE(bad_dist.has_value());
    const std::string msg = bad_dist.error().what();
    CHECK(msg.find("Requires-Dist (line 4)") == 0);
    CHECK(msg.find("'foo >=1.0.*'") != std::string::npos);

    auto bad_version = CoreMetadata::parse("Metadata-Version: 2.1\nName: x\nVersion: 1.0.x\n");
    REQUIRE_FALSE(bad_version.has_value());
    CHECK(std::string(bad_version.error().what()).find("Version (line 3)") != std::string::npos);

    auto bad_mv = CoreMetadata::parse("Metadata-Version: 3.0\nName: x\nVersion: 1\n");
    REQUIRE_FALSE(bad_mv.has_value());
    auto no_version = CoreMetadata::parse("Metadata-Version: 2.2\nName: x\n");
    REQUIRE_FALSE(no_version.has_value());
    auto early_fold = CoreMetadata::parse(" folded\nName: x\n");
    REQUIRE_FALSE(early_fold.has_value());
}

TEST_CASE("every metadata version from 1.0 to 2.4 is accepted") {
    for (const char* v : {"1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4"}) {
        INFO(v);
        auto m = CoreMetadata::parse(std::string("Metadata-Version: ") + v +
                                     "\r\nName: A.B\r\nVersion: 1.0\r\nDescription: short\r\n\r\n"
                                     "body\r\n");
        REQUIRE(m.has_value());
        CHECK(m->description == "short");  // the header wins over the body
        CHECK(m->name == "A.B");
    }
}
