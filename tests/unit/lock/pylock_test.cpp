#include <catch2/catch.hpp>

#include "omni/lock/pylock.hpp"

using namespace omni;
using namespace omni::lock;

namespace {

// The example of PEP 751 (lock-version 1.0), as the PEP shows it.
constexpr const char* pep_example = R"(lock-version = '1.0'
environments = ["sys_platform == 'win32'", "sys_platform == 'linux'"]
requires-python = '== 3.12'
created-by = 'mousebender'

[[packages]]
name = 'attrs'
version = '25.1.0'
requires-python = '>= 3.8'
wheels = [
  {name = 'attrs-25.1.0-py3-none-any.whl', upload-time = 2025-01-25T11:30:10.164985+00:00, url = 'https://files.pythonhosted.org/packages/fc/30/d4986a882011f9df997a55e6becd864812ccfcd821d64aac8570ee39f719/attrs-25.1.0-py3-none-any.whl', size = 63152, hashes = {sha256 = 'c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a'}},
]
[[packages.attestation-identities]]
environment = 'release-pypi'
kind = 'GitHub'
repository = 'python-attrs/attrs'
workflow = 'pypi-package.yml'

[[packages]]
name = 'cattrs'
version = '24.2.0'
requires-python = '>= 3.8'
dependencies = [
    {name = 'attrs'},
]
wheels = [
  {name = 'cattrs-24.2.0-py3-none-any.whl', upload-time = 2024-09-22T14:58:34.812643+00:00, url = 'https://files.pythonhosted.org/packages/c8/d5/867e75361fc45f6de75fe277dd085627a9db5ebb511a87f27dc1396b5351/cattrs-24.2.0-py3-none-any.whl', size = 66446, hashes = {sha256 = '050739b5fddc3b7ec0e9c6f8dad8c5a3d9bd3cbcb8c69cb9d0ae2209a3e61a8a'}},
]

[[packages]]
name = 'numpy'
version = '2.2.3'
requires-python = '>= 3.10'
wheels = [
  {name = 'numpy-2.2.3-cp312-cp312-win_amd64.whl', upload-time = 2025-02-13T16:51:21.821880+00:00, url = 'https://files.pythonhosted.org/packages/42/6e/55580a538116d16ae7c9aa17d4edd56e83f42126cb1dfe7a684da7925d2c/numpy-2.2.3-cp312-cp312-win_amd64.whl', size = 12626357, hashes = {sha256 = '83807d445817326b4bcdaaaf8e8e9f1753da04341eceec705c001ff342002e5d'}},
  {name = 'numpy-2.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', upload-time = 2025-02-13T16:50:00.079662+00:00, url = 'https://files.pythonhosted.org/packages/39/04/78d2e7402fb479d893953fb78fa7045f7deb635ec095b6b4f0260223091a/numpy-2.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', size = 16116679, hashes = {sha256 = '3b787adbf04b0db1967798dba8da1af07e387908ed1553a0d6e74c084d1ceafe'}},
]

[tool.mousebender]
command = ['.', 'lock', '--platform', 'cpython3.12-windows-x64', '--platform', 'cpython3.12-manylinux2014-x64', 'cattrs', 'numpy']
run-on = 2025-03-06T12:28:57.760769
)";

}  // namespace

TEST_CASE("pylock: the PEP 751 example reads with every field omni uses") {
    const auto lock = parse_pylock(pep_example, "pylock.toml");
    REQUIRE(lock);
    CHECK(lock->lock_version == "1.0");
    CHECK(lock->created_by == "mousebender");
    CHECK(lock->requires_python == "== 3.12");
    CHECK(lock->environments.size() == 2);
    REQUIRE(lock->packages.size() == 3);
    CHECK(lock->packages[0].name == "attrs");
    CHECK(lock->packages[0].requires_python == ">= 3.8");
    REQUIRE(lock->packages[0].wheels.size() == 1);
    CHECK(lock->packages[0].wheels[0].size == 63152u);
    CHECK(lock->packages[0].wheels[0].hashes.at("sha256") ==
          "c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a");
    CHECK(lock->packages[2].wheels.size() == 2);
}

TEST_CASE("pylock: pip's arrays of tables and uv's wheels without names read the same") {
    const auto pip_style = parse_pylock(R"(lock-version = "1.0"
created-by = "pip"

[[packages]]
name = "beta"
version = "2.0"

[[packages.wheels]]
name = "beta-2.0-py3-none-any.whl"
url = "https://example.invalid/beta-2.0-py3-none-any.whl"

[packages.wheels.hashes]
sha256 = "ABCDEF"
)",
                                        "pip.toml");
    REQUIRE(pip_style);
    REQUIRE(pip_style->packages[0].wheels.size() == 1);
    CHECK(pip_style->packages[0].wheels[0].hashes.at("sha256") == "abcdef");
    const auto uv_style = parse_pylock(R"(lock-version = "1.0"
created-by = "uv"
[[packages]]
name = "beta"
version = "2.0"
index = "https://pypi.org/simple"
wheels = [{ url = "https://example.invalid/b/beta-2.0-py3-none-any.whl", size = 10, hashes = { sha256 = "ab" } }]
)",
                                       "uv.toml");
    REQUIRE(uv_style);
    CHECK(uv_style->packages[0].wheels[0].name == "beta-2.0-py3-none-any.whl");
    CHECK(uv_style->packages[0].index == "https://pypi.org/simple");
}

TEST_CASE("pylock: writing sorts, so equal locks give equal bytes, and reads back") {
    PyLock lock;
    lock.requires_python = ">=3.11";
    lock.environments = {"python_version == '3.11'"};
    LockedFile w{"zeta-1.0-py3-none-any.whl",
                 "https://h/zeta-1.0-py3-none-any.whl",
                 "",
                 12,
                 {{"sha256", "aa"}}};
    LockedFile a{"alpha-2.0-py3-none-any.whl",
                 "",
                 "/links/alpha-2.0-py3-none-any.whl",
                 34,
                 {{"sha256", "bb"}}};
    lock.packages.push_back({"zeta", "1.0", "", "", "https://h/simple/", {w}, {}, ""});
    lock.packages.push_back({"Alpha", "2.0", "python_version == '3.11'", ">=3", "", {a}, {}, ""});
    lock.bubbles.push_back({"cpython-3.11", "zeta==0.9", "zeta", "0.9", "", {lock.packages[0]}});
    const auto text = write_pylock(lock);
    auto reversed = lock;
    std::reverse(reversed.packages.begin(), reversed.packages.end());
    CHECK(write_pylock(reversed) == text);
    CHECK(text.find("name = \"Alpha\"") < text.find("name = \"zeta\""));
    const auto back = parse_pylock(text, "written");
    REQUIRE(back);
    REQUIRE(back->packages.size() == 2);
    CHECK(back->packages[0].marker == "python_version == '3.11'");
    CHECK(back->packages[0].wheels[0].path == "/links/alpha-2.0-py3-none-any.whl");
    REQUIRE(back->bubbles.size() == 1);
    CHECK(back->bubbles[0].requirement == "zeta==0.9");
    CHECK(back->bubbles[0].packages[0].wheels[0].size == 12u);
    CHECK(write_pylock(*back) == text);
}

TEST_CASE("pylock: a malformed lock is one clear error naming what is wrong") {
    const auto error = [](const char* text) {
        const auto r = parse_pylock(text, "bad.toml");
        REQUIRE_FALSE(r);
        CHECK(r.error().code() == ErrorCode::invalid_input);
        return std::string(r.error().what());
    };
    CHECK_THAT(error("lock-version = "), Catch::Contains("bad.toml: not valid TOML"));
    CHECK_THAT(error("created-by = 'x'"), Catch::Contains("no 'lock-version'"));
    CHECK_THAT(error("lock-version = '2.0'"), Catch::Contains("lock-version 2.0"));
    CHECK_THAT(error("lock-version = '1.0'\n[[packages]]\nversion = '1'"),
               Catch::Contains("has no 'name'"));
    CHECK_THAT(error("lock-version = '1.0'\n[[packages]]\nname = 'a'\nwheels = [{name = "
                     "'a-1-py3-none-any.whl'}]"),
               Catch::Contains("neither 'url' nor 'path'"));
    CHECK_THAT(error("lock-version = '1.0'\n[[packages]]\nname = 'a'\nwheels = [{url = "
                     "'https://h/a-1-py3-none-any.whl', size = -3}]"),
               Catch::Contains("size"));
    CHECK_THAT(error("lock-version = '1.0'\n[[packages]]\nname = 'a'\nwheels = [{path = '..'}]"),
               Catch::Contains("no usable file name"));
    CHECK_THAT(error("lock-version = '1.0'\n[[packages]]\nname = '../x'"),
               Catch::Contains("not a project name"));
}

TEST_CASE("pylock: credentials are taken out of index URLs") {
    CHECK(without_userinfo("https://user:secret@host.example/simple/") ==
          "https://host.example/simple/");
    CHECK(without_userinfo("https://host.example/a@b") == "https://host.example/a@b");
    CHECK(without_userinfo("/local/path") == "/local/path");
}
