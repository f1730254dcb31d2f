#include <catch2/catch.hpp>
#include <string>

#include "omni/standards/script_metadata.hpp"

using namespace omni::standards;

TEST_CASE("the script block is found and parsed") {
    const std::string script =
        "#!/usr/bin/env python\n"
        "# /// script\n"
        "# requires-python = \">=3.11\"\n"
        "# dependencies = [\n"
        "#   \"requests<3\",\n"
        "#   \"rich\",\n"
        "# ]\n"
        "#\n"
        "# [tool.omni]\n"
        "# python = \"3.11\"\n"
        "# ///\n"
        "import requests\n";
    auto r = ScriptMetadata::parse(script);
    REQUIRE(r.has_value());
    REQUIRE(r->has_value());
    const auto& m = **r;
    REQUIRE(m.dependencies.size() == 2);
    CHECK(m.dependencies[0].to_string() == "requests<3");
    CHECK(m.dependencies[1].name == "rich");
    REQUIRE(m.requires_python);
    CHECK(m.requires_python->to_string() == ">=3.11");
    CHECK(m.tool_toml.find("python = '3.11'") != std::string::npos);
}

TEST_CASE("block boundaries follow the reference regex") {
    // Closing at the last '# ///' of the comment run.
    auto a = extract_script_block("# /// script\n# a = 1\n# ///\n# b = 2\n# ///\nx = 1\n");
    REQUIRE(a.has_value());
    REQUIRE(a->has_value());
    CHECK(**a == "a = 1\n///\nb = 2\n");
    // No closing line: no block.
    auto b = extract_script_block("# /// script\n# a = 1\nprint()\n");
    REQUIRE(b.has_value());
    CHECK_FALSE(b->has_value());
    // Other block types are ignored; '#x' lines end the run.
    auto c = extract_script_block("# /// pyproject\n# a = 1\n# ///\n");
    REQUIRE(c.has_value());
    CHECK_FALSE(c->has_value());
    auto d = extract_script_block("# /// script\n#x\n# ///\n");
    REQUIRE(d.has_value());
    CHECK_FALSE(d->has_value());
    // No script at all.
    auto none = ScriptMetadata::parse("print('hi')\n");
    REQUIRE(none.has_value());
    CHECK_FALSE(none->has_value());
}

TEST_CASE("bad inline metadata is an error not a silent accept") {
    auto twice =
        ScriptMetadata::parse("# /// script\n# a = 1\n# ///\n\n# /// script\n# b = 1\n# ///\n");
    REQUIRE_FALSE(twice.has_value());
    CHECK(std::string(twice.error().what()).find("second '# /// script' block") !=
          std::string::npos);
    auto toml = ScriptMetadata::parse("# /// script\n# dependencies = [\n# ///\n");
    REQUIRE_FALSE(toml.has_value());
    CHECK(std::string(toml.error().what()).find("TOML line") != std::string::npos);
    auto dep = ScriptMetadata::parse("# /// script\n# dependencies = [\"x >=1.0.*\"]\n# ///\n");
    REQUIRE_FALSE(dep.has_value());
    CHECK(std::string(dep.error().what()).find("dependency") != std::string::npos);
    auto type = ScriptMetadata::parse("# /// script\n# dependencies = \"x\"\n# ///\n");
    REQUIRE_FALSE(type.has_value());
    auto rp = ScriptMetadata::parse("# /// script\n# requires-python = \">=3.x\"\n# ///\n");
    REQUIRE_FALSE(rp.has_value());
}
