#include <catch2/catch.hpp>

#include "omni/util/error.hpp"
#include "omni/util/hash.hpp"
#include "support/temp_dir.hpp"

using namespace omni;

TEST_CASE("sha256 of known vectors") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("incremental sha256 equals one-shot") {
    std::string data(200000, 'x');
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<char>(i * 31 % 251);
    Sha256 h;
    for (std::size_t i = 0; i < data.size(); i += 7919)
        h.update(std::string_view(data).substr(i, 7919));
    CHECK(h.hex_digest() == sha256_hex(data));
}

TEST_CASE("sha256 of a file equals sha256 of its bytes") {
    test::TempDir dir;
    std::string data(300000, '\0');
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<char>(i % 256);
    test::write_text(dir / "blob", data);
    CHECK(sha256_file(dir / "blob") == sha256_hex(data));
    CHECK_THROWS_AS(sha256_file(dir / "missing"), Error);
}
