#include <catch2/catch.hpp>

#include "omni/demo/wheel_builder.hpp"
#include "omni/util/hash.hpp"
#include "omni/util/process.hpp"
#include "support/temp_dir.hpp"

using namespace omni;

namespace {
demo::WheelSource greet() {
    demo::WheelSource s;
    s.name = "omni-demo-greet";
    s.version = "1.0.0";
    s.requires_dist = {"omni-demo-core>=1"};
    s.requires_python = ">=3.6";
    s.files["omni_demo_greet/__init__.py"] =
        "__version__ = '1.0.0'\ndef main():\n    print('hello')\n";
    s.console_scripts["omni-greet"] = "omni_demo_greet:main";
    return s;
}
}  // namespace

TEST_CASE("demo wheels are deterministic and valid zips with a RECORD") {
    test::TempDir dir;
    const auto a = demo::build_wheel(greet(), dir / "a");
    const auto b = demo::build_wheel(greet(), dir / "b");
    CHECK(a.filename() == "omni_demo_greet-1.0.0-py3-none-any.whl");
    CHECK(sha256_file(a) == sha256_file(b));
    // Python's zipfile is the judge of the zip and of RECORD's hashes.
    const std::string python = "python3";
    ProcessOptions options;
    options.argv = {python, "-c", R"(
import base64, csv, hashlib, io, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
rows = list(csv.reader(io.StringIO(z.read('omni_demo_greet-1.0.0.dist-info/RECORD').decode())))
for path, digest, size in rows:
    if not digest: continue
    data = z.read(path)
    want = 'sha256=' + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
    assert digest == want and int(size) == len(data), path
print(sorted(z.namelist()))
print(z.read('omni_demo_greet-1.0.0.dist-info/METADATA').decode())
)",
                    a.string()};
    const auto r = run_process(options);
    INFO(r.err);
    REQUIRE(r.ok());
    CHECK_THAT(r.out, Catch::Contains("'omni_demo_greet-1.0.0.dist-info/entry_points.txt'"));
    CHECK_THAT(r.out, Catch::Contains("Requires-Dist: omni-demo-core>=1"));
    CHECK_THAT(r.out, Catch::Contains("Requires-Python: >=3.6"));
}
