#include <catch2/catch.hpp>

#include "omni/install/build_system.hpp"
#include "omni/install/sdist.hpp"
#include "omni/standards/sdist_name.hpp"
#include "omni/util/error.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
using namespace omni::install;

TEST_CASE("build system: a tree without pyproject.toml gets the setuptools legacy backend") {
    test::TempDir dir;
    const auto system = read_build_system(dir.path());
    CHECK_FALSE(system.declared);
    CHECK(system.backend == "setuptools.build_meta:__legacy__");
    CHECK(system.requirements == std::vector<std::string>{"setuptools>=40.8.0"});
}

TEST_CASE("build system: requires backend and backend-path are read") {
    test::TempDir dir;
    test::write_text(dir / "pyproject.toml",
                     "[project]\nname = 'x'\n[build-system]\nrequires = ['setuptools>=61', "
                     "'wheel']\nbuild-backend = 'backend:hooks'\nbackend-path = ['tools']\n");
    const auto system = read_build_system(dir.path());
    CHECK(system.declared);
    CHECK(system.requirements == std::vector<std::string>{"setuptools>=61", "wheel"});
    CHECK(system.backend == "backend:hooks");
    CHECK(system.backend_path == std::vector<std::string>{"tools"});
}

TEST_CASE("build system: a pyproject.toml without [build-system] keeps the legacy default") {
    test::TempDir dir;
    test::write_text(dir / "pyproject.toml", "[tool.black]\nline-length = 99\n");
    const auto system = read_build_system(dir.path());
    CHECK_FALSE(system.declared);
    CHECK(system.backend == "setuptools.build_meta:__legacy__");
}

TEST_CASE("build system: bad TOML and bad tables name the file") {
    test::TempDir dir;
    const auto message = [&](const std::string& text) {
        test::write_text(dir / "pyproject.toml", text);
        try {
            read_build_system(dir.path());
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::invalid_input);
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK_THAT(message("[build-system\nrequires = []\n"),
               Catch::Contains("pyproject.toml") && Catch::Contains("not valid TOML"));
    CHECK_THAT(message("[build-system]\nbuild-backend = 'x'\n"), Catch::Contains("no 'requires'"));
    CHECK_THAT(message("[build-system]\nrequires = 'setuptools'\n"),
               Catch::Contains("not a list of strings"));
    CHECK_THAT(message("[build-system]\nrequires = []\nbackend-path = ['../up']\n"),
               Catch::Contains("leaves the source tree"));
}

TEST_CASE("sdist: PKG-INFO stands for METADATA only from 2.2 on and when nothing is dynamic") {
    CHECK(pkg_info_is_static("Metadata-Version: 2.2\nName: a\nVersion: 1\n"));
    CHECK(pkg_info_is_static("Metadata-Version: 2.4\nName: a\nDynamic: Description\n\nbody"));
    CHECK_FALSE(pkg_info_is_static("Metadata-Version: 2.1\nName: a\nVersion: 1\n"));
    CHECK_FALSE(pkg_info_is_static("Metadata-Version: 2.2\nDynamic: Requires-Dist\n"));
    CHECK_FALSE(pkg_info_is_static("Metadata-Version: 2.3\ndynamic: requires-python\n"));
    CHECK_FALSE(pkg_info_is_static("Name: a\n"));
    CHECK(is_sdist_filename("a-1.0.tar.gz"));
    CHECK(is_sdist_filename("a-1.0.zip"));
    CHECK_FALSE(is_sdist_filename("a-1.0-py3-none-any.whl"));
    CHECK(standards::sdist_stem("foo_bar-1.0.tgz") == "foo_bar-1.0");
    CHECK(standards::sdist_stem("foo-2.0.tar.bz2") == "foo-2.0");
    CHECK_FALSE(standards::sdist_stem("foo-1.0.tar"));
}
