#include <catch2/catch.hpp>

#include "omni/demo/wheel_builder.hpp"
#include "omni/install/installer.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/process.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
using namespace omni::install;
namespace stdfs = std::filesystem;

namespace {

struct Fixture {
    test::TempDir dir;
    Home home{dir / "home"};
    Fixture() { home.ensure_layout(); }
    bool cache_clean() const {
        std::error_code ec;
        return stdfs::is_empty(home.staging_dir()) &&
               (!stdfs::exists(home.cache_dir() / "unpacked") ||
                stdfs::is_empty(home.cache_dir() / "unpacked"));
    }
};

demo::WheelSource demo_source() {
    demo::WheelSource s;
    s.name = "omni-demo-greet";
    s.version = "1.2.0";
    s.files["omni_demo_greet/__init__.py"] =
        "__version__ = '1.2.0'\ndef main():\n    print('hello from', __version__)\n";
    s.files["omni_demo_greet-1.2.0.data/scripts/greet-raw"] =
        "#!python\nimport omni_demo_greet\nomni_demo_greet.main()\n";
    s.files["omni_demo_greet-1.2.0.data/data/share/greet.txt"] = "data file\n";
    s.console_scripts["omni-greet"] = "omni_demo_greet:main";
    return s;
}

// Writes a zip with Python's zipfile from (name, content) pairs given as a
// Python literal, plus optional raw bytes appended at the end.
stdfs::path python_zip(const stdfs::path& path, const std::string& members,
                       const std::string& extra = "") {
    ProcessOptions options;
    options.argv = {"python3", "-c",
                    "import sys, zipfile\n"
                    "with zipfile.ZipFile(sys.argv[1], 'w') as z:\n"
                    "    for name, data in " +
                        members +
                        ":\n"
                        "        z.writestr(name, data)\n"
                        "open(sys.argv[1], 'ab').write(" +
                        (extra.empty() ? std::string("b''") : extra) + ")\n",
                    path.string()};
    const auto r = run_process(options);
    REQUIRE(r.ok());
    return path;
}

std::string reject_message(const Home& home, const stdfs::path& wheel) {
    try {
        unpack_wheel(home, wheel);
    } catch (const Error& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace

TEST_CASE("install: a wheel into a bubble links files and writes scripts and RECORD") {
    Fixture f;
    const auto wheel = demo::build_wheel(demo_source(), f.dir / "wheels");
    const auto unpacked = unpack_wheel(f.home, wheel);
    CHECK(unpacked.name == "omni_demo_greet");
    CHECK(unpacked.top_level == std::vector<std::string>{"omni_demo_greet"});
    REQUIRE(unpacked.entry_points.size() == 1);
    const auto root = f.dir / "bubble";
    const auto installed =
        install_wheel(unpacked, InstallTarget::bubble(root, "/usr/bin/python3", "3.11"));
    CHECK(stdfs::hard_link_count(root / "omni_demo_greet" / "__init__.py") >= 2);
    CHECK(fs::read_file(root / "bin" / "greet-raw").starts_with("#!/usr/bin/python3\n"));
    CHECK(fs::read_file(root / "bin" / "omni-greet").find("from omni_demo_greet import main") !=
          std::string::npos);
    CHECK(fs::read_file(root / "data" / "share" / "greet.txt") == "data file\n");
    const auto record = fs::read_file(root / "omni_demo_greet-1.2.0.dist-info" / "RECORD");
    CHECK_THAT(record, Catch::Contains("bin/omni-greet,sha256="));
    CHECK_THAT(record, Catch::Contains("omni_demo_greet-1.2.0.dist-info/INSTALLER,sha256="));
    CHECK_THAT(record, Catch::EndsWith("omni_demo_greet-1.2.0.dist-info/RECORD,,\n"));
    CHECK(fs::read_file(root / "omni_demo_greet-1.2.0.dist-info" / "INSTALLER") == "omni\n");
    CHECK(installed.files.size() ==
          11);  // 7 from the wheel, a launcher, INSTALLER, REQUESTED, RECORD
    // Unpacking again finds the cached tree.
    CHECK(unpack_wheel(f.home, wheel).root == unpacked.root);
}

TEST_CASE("install: a file another distribution owns is a conflict and nothing is left") {
    Fixture f;
    const auto wheel = demo::build_wheel(demo_source(), f.dir / "wheels");
    const auto unpacked = unpack_wheel(f.home, wheel);
    const auto root = f.dir / "bubble";
    test::write_text(root / "bin" / "omni-greet", "mine\n");
    CHECK_THROWS_WITH(
        install_wheel(unpacked, InstallTarget::bubble(root, "/usr/bin/python3", "3.11")),
        Catch::Contains("already exists"));
    CHECK_FALSE(stdfs::exists(root / "omni_demo_greet" / "__init__.py"));
    CHECK(fs::read_file(root / "bin" / "omni-greet") == "mine\n");
}

TEST_CASE("install: hostile and broken wheels are rejected and leave nothing behind") {
    Fixture f;
    const auto wheels = f.dir / "w";
    stdfs::create_directories(wheels);
    const std::string good_meta =
        "('bad-1.0.dist-info/METADATA', 'Name: bad\\nVersion: 1.0\\n'), "
        "('bad-1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\n')";
    struct Case {
        const char* what;
        std::string members;
        std::string extra;
        const char* expect;
    };
    const Case cases[] = {
        {"traversal", "[('../evil.py', 'x'), " + good_meta + "]", "", "climbs out"},
        {"absolute", "[('/tmp/evil.py', 'x'), " + good_meta + "]", "", "absolute"},
        {"backslash", "[('..\\\\evil.py', 'x'), " + good_meta + "]", "", "rejected"},
        {"duplicate", "[('bad/a.py', 'x'), ('bad/a.py', 'y'), " + good_meta + "]", "", "twice"},
        {"no RECORD", "[('bad/a.py', 'x'), " + good_meta + "]", "", "no bad-1.0.dist-info/RECORD"},
        {"bad hash",
         "[('bad/a.py', 'x'), " + good_meta +
             ", ('bad-1.0.dist-info/RECORD', 'bad/a.py,sha256=AAAA,1\\n"
             "bad-1.0.dist-info/METADATA,,\\nbad-1.0.dist-info/WHEEL,,\\nbad-1.0.dist-info/"
             "RECORD,,\\n')]",
         "", "sha256"},
        {"trailing data", "[" + good_meta + "]", "b'garbage after the zip'", "follow the end"},
        {"name mismatch",
         "[('other-1.0.dist-info/METADATA', 'x'), ('other-1.0.dist-info/WHEEL', 'Wheel-Version: "
         "1.0\\n')]",
         "", "holds other-1.0.dist-info"},
        {"wheel version",
         "[('bad-1.0.dist-info/METADATA', 'x'), ('bad-1.0.dist-info/WHEEL', 'Wheel-Version: "
         "2.0\\n')]",
         "", "Wheel-Version 2.0"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        const auto wheel = python_zip(wheels / "bad-1.0-py3-none-any.whl", c.members, c.extra);
        CHECK_THAT(reject_message(f.home, wheel), Catch::Contains(c.expect));
        CHECK(f.cache_clean());
        stdfs::remove(wheel);
    }
}

TEST_CASE("install: a symlink member and a truncated zip are rejected") {
    Fixture f;
    const auto wheels = f.dir / "w";
    stdfs::create_directories(wheels);
    ProcessOptions options;
    options.argv = {"python3", "-c",
                    "import sys, zipfile\n"
                    "z = zipfile.ZipFile(sys.argv[1], 'w')\n"
                    "info = zipfile.ZipInfo('bad/link')\n"
                    "info.external_attr = (0o120777 << 16)\n"
                    "z.writestr(info, '/etc/passwd')\n"
                    "z.writestr('bad-1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\\n')\n"
                    "z.close()\n",
                    (wheels / "bad-1.0-py3-none-any.whl").string()};
    REQUIRE(run_process(options).ok());
    CHECK_THAT(reject_message(f.home, wheels / "bad-1.0-py3-none-any.whl"),
               Catch::Contains("not a regular file"));
    const auto good = demo::build_wheel(demo_source(), f.dir / "good");
    const std::string bytes = fs::read_file(good);
    fs::atomic_write(wheels / "omni_demo_greet-1.2.0-py3-none-any.whl",
                     bytes.substr(0, bytes.size() / 2));
    CHECK_THAT(reject_message(f.home, wheels / "omni_demo_greet-1.2.0-py3-none-any.whl"),
               Catch::Contains("rejected"));
    CHECK(f.cache_clean());
}

TEST_CASE("install: entry points may not shadow python or escape the scripts directory") {
    Fixture f;
    for (const auto* name : {"python", "python3.11", "../escape", "a/b"}) {
        INFO(name);
        auto source = demo_source();
        source.console_scripts = {{name, "omni_demo_greet:main"}};
        const auto wheel = demo::build_wheel(source, f.dir / "w");
        CHECK_THAT(reject_message(f.home, wheel), Catch::Contains("is not allowed"));
        stdfs::remove(wheel);
    }
}

TEST_CASE("install: a local header that disagrees with the central directory is rejected") {
    Fixture f;
    const auto good = demo::build_wheel(demo_source(), f.dir / "good");
    // Rename the first member in its local header only (same length), then
    // change a CRC in the local header of a stored copy.
    ProcessOptions options;
    options.argv = {"python3",
                    "-c",
                    R"(
import sys, zipfile
data = bytearray(open(sys.argv[1], 'rb').read())
z = zipfile.ZipFile(sys.argv[1])
first = z.infolist()[0]
off = first.header_offset
n = int.from_bytes(data[off + 26:off + 28], 'little')
name = bytes(data[off + 30:off + 30 + n])
data[off + 30:off + 30 + n] = name[:-1] + (b'X' if name[-1:] != b'X' else b'Y')
open(sys.argv[2], 'wb').write(data)
data = bytearray(open(sys.argv[1], 'rb').read())
data[off + 14] ^= 0xFF
open(sys.argv[3], 'wb').write(data)
)",
                    good.string(),
                    (f.dir / "renamed" / good.filename()).string(),
                    (f.dir / "crc" / good.filename()).string()};
    std::filesystem::create_directories(f.dir / "renamed");
    std::filesystem::create_directories(f.dir / "crc");
    REQUIRE(run_process(options).ok());
    CHECK_THAT(reject_message(f.home, f.dir / "renamed" / good.filename()),
               Catch::Contains("in its local header"));
    CHECK_THAT(reject_message(f.home, f.dir / "crc" / good.filename()), Catch::Contains("CRC"));
    CHECK(f.cache_clean());
}
