// C-extension versions that cannot share a process: omni_loader refuses to
// mix them, and runs them in worker processes of any interpreter instead.
// The extensions are compiled here, against each interpreter's own headers.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

// Wheels of ext-demo 1.0 (ABI 1) and 2.0 (ABI 2) for `python`; false (after a
// WARN, or a FAIL when CI=true) when there is no C compiler or no headers.
bool make_ext_wheels(const stdfs::path& python, const stdfs::path& out) {
    for (const auto* version : {"1.0", "2.0"}) {
        ProcessOptions options;
        options.argv = {python.string(), std::string(OMNI_FIXTURES_DIR) + "/make_ext_wheel.py",
                        "--name",        "ext-demo",
                        "--version",     version,
                        "--out",         out.string()};
        options.timeout = std::chrono::seconds(120);
        const auto r = run_process(options);
        if (r.exit_code == 77)
            return test::have(false, "a C compiler and Python headers: " + r.err);
        INFO(r.err);
        REQUIRE(r.ok());
    }
    return true;
}

// A home on 3.11 with ext-demo 1.0 and 2.0 bubbles for each of `versions`.
bool ext_home(const test::OmniHome& omni, const std::vector<std::string>& versions) {
    REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
    for (const auto& v : versions) {
        const auto python = test::pyenv_python(v);
        if (!python)
            return false;
        const auto wheels = omni.scratch() / ("wheels-" + v);
        if (!make_ext_wheels(*python, wheels))
            return false;
        for (const auto* version : {"1.0", "2.0"}) {
            const auto r = omni.omni({"--no-index", "--find-links", wheels.string(), "--python",
                                      v, "bubble", "ensure", std::string("ext-demo==") + version});
            INFO(r.out << r.err);
            REQUIRE(r.ok());
        }
    }
    return true;
}

ProcessResult run_script(const test::OmniHome& omni, const std::string& text) {
    test::write_text(omni.scratch() / "app.py", text);
    return omni.run({omni.bin("python").string(), (omni.scratch() / "app.py").string()});
}

bool alive(int pid) {
    std::error_code ec;
    return stdfs::exists("/proc/" + std::to_string(pid), ec);
}

// Nothing left behind: each pid of a "pids: ..." line has ended (within a
// bounded wait) and /dev/shm holds no segment of theirs.
void check_no_leaks(const std::string& out) {
    std::vector<int> pids;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with("pids:")) {
            std::istringstream words(line.substr(5));
            for (int pid = 0; words >> pid;)
                pids.push_back(pid);
        }
    REQUIRE_FALSE(pids.empty());
    for (const int pid : pids) {
        for (int i = 0; i < 100 && alive(pid); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CHECK_FALSE(alive(pid));
        std::error_code ec;
        for (const auto& entry : stdfs::directory_iterator("/dev/shm", ec))
            CHECK_FALSE(entry.path().filename().string().starts_with(
                "omni-w-" + std::to_string(pid) + "-"));
    }
}

}  // namespace

TEST_CASE("omni_loader refuses to switch a loaded C extension and names the worker API") {
    test::OmniHome omni;
    if (!test::pyenv_python("3.11") || !ext_home(omni, {"3.11"}))
        return;
    const auto r = run_script(omni, R"PY(
import sys, omni_loader
with omni_loader.use("ext-demo==1.0"):
    import ext_demo
    print("first", ext_demo.version())
with omni_loader.use("ext-demo==1.0"):
    import ext_demo
    print("same build again", ext_demo.version())
try:
    with omni_loader.use("ext-demo==2.0"):
        import ext_demo
        print("MIXED", ext_demo.version())
except omni_loader.MixedExtensionError as e:
    print("refused:", e)
# A plain import of the other build is refused the same way.
sys.path.insert(0, omni_loader.bubble_path("ext-demo==2.0"))
try:
    import ext_demo
    print("MIXED", ext_demo.version())
except omni_loader.MixedExtensionError as e:
    print("plain import refused:", "ext_demo._core" in str(e))
)PY");
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK_THAT(r.out, Catch::Contains("first 1.0\nsame build again 1.0\n"));
    CHECK_THAT(r.out, Catch::Contains("refused: the extension module ext_demo._core is already "
                                      "loaded in this process"));
    CHECK_THAT(r.out, Catch::Contains("omni_loader.worker('ext-demo==2.0')"));
    CHECK_THAT(r.out, Catch::Contains("isolate=True"));
    CHECK_THAT(r.out, Catch::Contains("plain import refused: True"));
    CHECK_THAT(r.out, !Catch::Contains("MIXED"));
}

TEST_CASE("workers run each C-extension version, from threads, across 3.9 and 3.11") {
    test::OmniHome omni;
    if (!test::pyenv_python("3.11") || !test::pyenv_python("3.9") ||
        !ext_home(omni, {"3.11", "3.9"}))
        return;
    const auto r = run_script(omni, R"PY(
import os, sys, threading, omni_loader
old = omni_loader.worker("ext-demo==1.0", python="3.9")
new = omni_loader.worker("ext-demo==2.0")
def version_of(w):
    return ".".join(w.call("platform:python_version_tuple")[:2])
print("old", version_of(old), old.call("ext_demo:version"))
print("new", version_of(new), new.call("ext_demo:version"))
print("pooled", omni_loader.worker("ext-demo==1.0", python="3.9") is old)
# 3.9 computes, 3.11 continues, and back: bytes and bytearrays large enough
# to travel through shared memory, and small ones through the pipe.
data = old.call("ext_demo:scale", b"\x02" * (4 << 20), 3)
print("3.9->3.11", type(data).__name__, len(data), new.call("ext_demo:checksum", data))
back = new.call("ext_demo:scale", bytearray(data), 2)
print("3.11->3.9", old.call("ext_demo:checksum", back), old.call("ext_demo:checksum", b"ab"))
# Both versions at once from threads; each answers with its own ABI.
results = {}
def work(name, w):
    results[name] = set(w.call(ext_demo_checksum, b"\x01" * 1000) for _ in range(40))
ext_demo_checksum = "ext_demo:checksum"
threads = [threading.Thread(target=work, args=(i, old if i % 2 else new)) for i in range(6)]
for t in threads: t.start()
for t in threads: t.join()
print("threads", sorted(set.union(*results.values())), len(results))
# The worker's exception comes back with its traceback; its output is forwarded.
try:
    old.call("json:loads", "{not json")
except omni_loader.WorkerError as e:
    print("remote", e.remote_type, "json/decoder.py" in e.remote_traceback)
old.call("sys:stdout.write", "printed by the worker\n")
# isolate=True: the same, as a context manager; nothing changes here.
with omni_loader.use("ext-demo==2.0", python="3.9", isolate=True) as w:
    print("isolated", w.call("ext_demo:version"), "ext_demo" in sys.modules)
print("pids:", old.pid, new.pid, w.pid, os.getpid())
)PY");
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK_THAT(r.out, Catch::Contains("old 3.9 1.0\nnew 3.11 2.0\npooled True\n"));
    // 2 * 3 * 4 MiB * ABI 2, then 2 * 3 * 2 (mod 256) * 4 MiB * ABI 1.
    CHECK_THAT(r.out, Catch::Contains("3.9->3.11 bytes 4194304 50331648\n"));
    CHECK_THAT(r.out, Catch::Contains("3.11->3.9 50331648 195\n"));
    CHECK_THAT(r.out, Catch::Contains("threads [1000, 2000] 6\n"));
    CHECK_THAT(r.out, Catch::Contains("remote JSONDecodeError True\n"));
    CHECK_THAT(r.out, Catch::Contains("printed by the worker\n"));
    CHECK_THAT(r.out, Catch::Contains("isolated 2.0 False\n"));
    check_no_leaks(r.out);
}

TEST_CASE("a worker that crashes, hangs or loses its owner fails clearly and leaks nothing") {
    test::OmniHome omni;
    if (!test::pyenv_python("3.11") || !ext_home(omni, {"3.11"}))
        return;
    const auto r = run_script(omni, R"PY(
import os, signal, subprocess, sys, time, omni_loader
w = omni_loader.worker("ext-demo==1.0")
pids = []
for target in ("ext_demo:crash", "os:_exit"):
    pids.append(w.call("os:getpid"))
    try:
        w.call(target, *([3] if target == "os:_exit" else []))
    except omni_loader.WorkerCrashed as e:
        print("crashed:", e)
    print("replaced", w.call("ext_demo:version"), w.pid != pids[-1])
pids.append(w.pid)
try:
    w.call_timeout(0.5, "time:sleep", 60)
except omni_loader.WorkerTimeout as e:
    print("timeout:", e)
print("after timeout", w.call("ext_demo:version"))
# An owner killed with SIGKILL takes its worker with it.
owner = subprocess.Popen([sys.executable, "-c",
    "import omni_loader, sys; w = omni_loader.worker('ext-demo==2.0'); "
    "w.call('ext_demo:scale', b'x' * (1 << 20), 1); "
    "print(w.pid); sys.stdout.flush(); import time; time.sleep(60)"],
    stdout=subprocess.PIPE)
worker_pid = int(owner.stdout.readline())
os.kill(owner.pid, signal.SIGKILL)
owner.wait()
owner.stdout.close()
print("pids:", " ".join(str(p) for p in pids), w.pid, worker_pid, owner.pid)
)PY");
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK_THAT(r.out, Catch::Contains("died from SIGSEGV during ext_demo:crash"));
    CHECK_THAT(r.out, Catch::Contains("exited with status 3 during os:_exit"));
    CHECK_THAT(r.out, Catch::Contains("during ext_demo:crash; the next call starts a new one\n"
                                      "replaced 1.0 True\n"));
    CHECK_THAT(r.out, Catch::Contains("during os:_exit; the next call starts a new one\n"
                                      "replaced 1.0 True\n"));
    CHECK_THAT(r.out, Catch::Contains("timeout: time:sleep took longer than 0.5s"));
    CHECK_THAT(r.out, Catch::Contains("after timeout 1.0\n"));
    check_no_leaks(r.out);
}
