#include <catch2/catch.hpp>

#include "omni/python/request.hpp"

using namespace omni;
using namespace omni::python;

namespace {
InterpreterInfo interp(const char* version, const char* impl = "cpython", bool ft = false) {
    InterpreterInfo info;
    info.version = PythonVersion::parse(version).value();
    info.implementation = impl;
    info.free_threaded = ft;
    return info;
}
bool matches(const char* request, const InterpreterInfo& info) {
    return PythonRequest::parse(request).value().matches(info);
}
}  // namespace

TEST_CASE("python versions parse and order with pre-releases before finals") {
    CHECK(PythonVersion::parse("3.9.18")->str() == "3.9.18");
    CHECK(PythonVersion::parse("2.7")->str() == "2.7.0");
    CHECK(PythonVersion::parse("3.13.0rc1")->str() == "3.13.0rc1");
    CHECK(*PythonVersion::parse("3.13.0rc1") < *PythonVersion::parse("3.13.0"));
    CHECK(*PythonVersion::parse("3.13.0b2") < *PythonVersion::parse("3.13.0rc1"));
    CHECK(*PythonVersion::parse("3.9.18") < *PythonVersion::parse("3.10.0"));
    CHECK_FALSE(PythonVersion::parse("3").has_value());
    CHECK_FALSE(PythonVersion::parse("3.x").has_value());
    CHECK_FALSE(PythonVersion::parse("3.9.1zz").has_value());
}

TEST_CASE("plain version requests match by prefix") {
    CHECK(matches("3", interp("3.9.18")));
    CHECK(matches("3.9", interp("3.9.18")));
    CHECK(matches("3.9.18", interp("3.9.18")));
    CHECK_FALSE(matches("3.9.17", interp("3.9.18")));
    CHECK_FALSE(matches("3.1", interp("3.10.2")));
    CHECK_FALSE(matches("2", interp("3.10.2")));
    CHECK(matches("python3.10", interp("3.10.2")));
}

TEST_CASE("implementation prefixes select the implementation") {
    CHECK(matches("cpython3.12", interp("3.12.1")));
    CHECK(matches("cpython@3.12", interp("3.12.1")));
    CHECK(matches("CPython-3.12", interp("3.12.1")));
    CHECK_FALSE(matches("pypy@3.12", interp("3.12.1")));
    CHECK(matches("pypy", interp("3.10.1", "pypy")));
    const auto r = PythonRequest::parse("cpython@3.12").value();
    CHECK(r.implementation == "cpython");
    REQUIRE(r.bounds.size() == 1);
    CHECK(r.bounds[0].parts == std::vector<int>{3, 12});
}

TEST_CASE("operator requests compare on the given components") {
    CHECK(matches(">=3.10", interp("3.10.0")));
    CHECK(matches(">=3.10", interp("3.13.0")));
    CHECK_FALSE(matches(">=3.10", interp("3.9.18")));
}

TEST_CASE("comma separated clauses must all hold") {
    CHECK(matches(">=3.9,<3.12", interp("3.11.7")));
    CHECK_FALSE(matches(">=3.9,<3.12", interp("3.12.1")));
    CHECK(matches(">3.9, !=3.11", interp("3.10.1")));
    CHECK_FALSE(matches(">3.9, !=3.11", interp("3.11.1")));
    CHECK_FALSE(matches(">3.9", interp("3.9.18")));
    CHECK(matches("<=3.9", interp("3.9.18")));
}

TEST_CASE("a t suffix asks for a free-threaded build") {
    const auto r = PythonRequest::parse("3.13t").value();
    CHECK(r.free_threaded);
    CHECK_FALSE(r.matches(interp("3.13.0")));
    CHECK(r.matches(interp("3.13.0", "cpython", true)));
    CHECK_FALSE(PythonRequest::parse(">=3.13t").has_value());
}

TEST_CASE("a pre-release is named after all three numbers and matched exactly") {
    const auto rc = PythonRequest::parse("3.15.0rc1").value();
    CHECK(rc.names_prerelease());
    CHECK(rc.matches(interp("3.15.0rc1")));
    CHECK_FALSE(rc.matches(interp("3.15.0rc2")));
    CHECK_FALSE(rc.matches(interp("3.15.0b4")));
    CHECK_FALSE(rc.matches(interp("3.15.0")));
    CHECK(matches("cpython@3.14.0b2", interp("3.14.0b2")));
    CHECK(matches("3.14.0a7", interp("3.14.0a7")));
    CHECK(matches(">=3.15.0b1", interp("3.15.0rc1")));
    CHECK(matches(">=3.15.0b1", interp("3.15.0")));
    CHECK_FALSE(matches(">=3.15.0b1", interp("3.15.0a8")));
    CHECK(matches("<3.15.0rc1", interp("3.15.0b4")));
    CHECK(PythonRequest::parse("3.15.0rc1t").value().free_threaded);
    // Plain versions name no pre-release, and still match one by prefix.
    CHECK_FALSE(PythonRequest::parse("3.15").value().names_prerelease());
    CHECK_FALSE(PythonRequest::parse("!=3.15.0rc1").value().names_prerelease());
    CHECK(matches("3.15", interp("3.15.0rc1")));
    for (const char* bad : {"3.15rc1", "3rc1", "3.15.0c1", "3.15.0rc", "3.15.0rc1x"}) {
        INFO(bad);
        CHECK_FALSE(PythonRequest::parse(bad).has_value());
    }
}

TEST_CASE("paths are requests for that file") {
    const auto r = PythonRequest::parse("/usr/bin/python3").value();
    REQUIRE(r.is_path());
    CHECK(*r.path == "/usr/bin/python3");
    CHECK_FALSE(r.matches(interp("3.11.2")));
    CHECK(PythonRequest::parse("./venv/bin/python")->is_path());
}

TEST_CASE("bad requests say what is wrong and where") {
    for (const char* bad : {"", "3.", "3..1", "snake3.9", "3.9.1.2", ">=", "3.x", ">=3.9,"}) {
        INFO(bad);
        const auto r = PythonRequest::parse(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code() == ErrorCode::invalid_input);
    }
    const auto r = PythonRequest::parse("3.x");
    CHECK(std::string(r.error().what()).find("3.x") != std::string::npos);
    CHECK(std::string(r.error().what()).find("expected a version number") != std::string::npos);
    CHECK(std::string(PythonRequest::parse("3.14.0c1").error().what())
              .find("expected a pre-release: a1, b2 or rc1") != std::string::npos);
}
