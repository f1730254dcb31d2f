#include <catch2/catch.hpp>
#include <set>

#include "omni/util/error.hpp"

using namespace omni;

TEST_CASE("parse_error quotes the input with a caret under the position") {
    const Error e = parse_error("version", "1.0.x", 4, "unexpected character");
    CHECK(e.code() == ErrorCode::invalid_input);
    CHECK(std::string(e.what()) ==
          "invalid version '1.0.x': unexpected character\n  1.0.x\n      ^");
}

TEST_CASE("parse_error clamps a position past the end") {
    const Error e = parse_error("key", "ab", 10, "too short");
    CHECK(std::string(e.what()) == "invalid key 'ab': too short\n  ab\n    ^");
}

TEST_CASE("every error code maps to a distinct non-zero exit status") {
    std::set<int> seen;
    for (auto code :
         {ErrorCode::usage, ErrorCode::invalid_input, ErrorCode::not_found, ErrorCode::conflict,
          ErrorCode::io, ErrorCode::lock_timeout, ErrorCode::process, ErrorCode::network,
          ErrorCode::integrity, ErrorCode::corrupt_state, ErrorCode::internal}) {
        const int status = exit_status(code);
        CHECK(status > 1);
        CHECK(seen.insert(status).second);
        CHECK(!to_string(code).empty());
    }
}

TEST_CASE("throw_errno names the action and the path") {
    try {
        throw_errno("read", "/no/such", ENOENT);
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::io);
        CHECK(std::string(e.what()) == "cannot read '/no/such': No such file or directory");
    }
}
