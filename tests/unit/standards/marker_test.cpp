#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "omni/standards/marker.hpp"

using namespace omni::standards;

namespace {
MarkerEnvironment linux311() {
    MarkerEnvironment e;
    e.os_name = "posix";
    e.sys_platform = "linux";
    e.platform_machine = "x86_64";
    e.platform_python_implementation = "CPython";
    e.platform_release = "6.1.0-18-amd64";
    e.platform_system = "Linux";
    e.platform_version = "#1 SMP PREEMPT_DYNAMIC";
    e.python_version = "3.11";
    e.python_full_version = "3.11.7";
    e.implementation_name = "cpython";
    e.implementation_version = "3.11.7";
    return e;
}
}  // namespace

TEST_CASE("markers evaluate against an environment") {
    struct Case {
        const char* marker;
        const char* extra;
        bool expected;
    };
    const std::vector<Case> cases = {
        {"python_version >= '3.8'", "", true},
        {"python_version < \"3.10\"", "", false},
        {"python_version > '3.9'", "", true},  // version compare, not string
        {"python_full_version == '3.11.*'", "", true},
        {"python_version ~= '3.7'", "", true},
        {"'3.12' > python_version", "", true},
        {"sys_platform == 'linux' and os_name == 'posix'", "", true},
        {"sys_platform == 'win32' or platform_machine == 'x86_64'", "", true},
        {"sys_platform == 'win32' or os_name == 'nt' and python_version > '3'", "", false},
        {"(sys_platform == 'win32' or os_name == 'posix') and python_version > '3'", "", true},
        {"os.name == 'posix'", "", true},
        {"python_implementation == 'CPython'", "", true},
        {"'linux' in sys_platform", "", true},
        {"'lin' in sys_platform", "", true},
        {"sys_platform not in 'win32 cygwin'", "", true},
        {"platform_release >= '6'", "", true},  // not a version: string compare
        {"extra == 'test'", "test", true},
        {"extra == 'Foo_Bar'", "foo-bar", true},
        {"extra == 'FOO.bar'", "Foo_Bar", true},
        {"extra == 'test'", "", false},
        {"implementation_name==\"cpython\"and python_version>='3'", "", true},
        {"platform_machine ~= 'x86'", "", false},  // ~= on words is never true
    };
    for (const auto& c : cases) {
        INFO(c.marker);
        auto m = Marker::parse(c.marker);
        REQUIRE(m.has_value());
        auto env = linux311();
        env.extra = c.extra;
        CHECK(m->evaluate(env) == c.expected);
    }
}

TEST_CASE("markers print in packaging's canonical form") {
    struct Case {
        const char* in;
        const char* out;
    };
    const std::vector<Case> cases = {
        {"python_version>='3.8'", "python_version >= \"3.8\""},
        {"( os.name == 'nt' )", "os_name == \"nt\""},
        {"(a_x == 'b')", ""},
        {"extra == 'Foo_Bar' and extra == 'X_Y'", "extra == \"foo-bar\" and extra == \"X_Y\""},
        {"(os_name == 'a' or os_name == 'b') and os_name == 'c'",
         "(os_name == \"a\" or os_name == \"b\") and os_name == \"c\""},
        {"sys_platform not   in 'linux'", "sys_platform not in \"linux\""},
    };
    for (const auto& c : cases) {
        INFO(c.in);
        auto m = Marker::parse(c.in);
        if (std::string(c.out).empty()) {
            CHECK_FALSE(m.has_value());
        } else {
            REQUIRE(m.has_value());
            CHECK(m->to_string() == c.out);
        }
    }
}

TEST_CASE("invalid markers say what was expected") {
    for (const char* bad :
         {"", "python_version", "python_version >= ", "os_name = 'x'", "os_name == 'x' and",
          "(os_name == 'x'", "os_name == 'x')", "os_name not'x'", "unknown == 'x'", "os_name == 'x",
          "os_name notin 'x'", "os_name == 'x' xor os_name == 'y'"}) {
        INFO(bad);
        auto m = Marker::parse(bad);
        REQUIRE_FALSE(m.has_value());
        CHECK(std::string(m.error().what()).find("invalid marker") == 0);
    }
    CHECK(Marker::parse("os_name == 'x' and extra == 'y'")->mentions_extra());
    CHECK_FALSE(Marker::parse("os_name == 'x'")->mentions_extra());
}
