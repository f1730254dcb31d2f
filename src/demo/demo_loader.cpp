// Demo 5: three versions of one package activated in turn inside one Python
// process with omni_loader.
#include <sstream>

#include <fmt/format.h>

#include "demo/demo_common.hpp"

namespace omni::demo {

DemoResult run_loader(DemoContext& context) {
    const auto interpreter = pick_interpreters(context, {"3.11", "3.12", "3.10"}, 1).front();
    const auto pc = provision(context, interpreter);
    const std::vector<std::string> versions{"1.0.0", "2.0.0", "3.0.0"};
    DemoResult result;
    DemoTable table{
        "inside one process", {"requested", "imported", "loaded from", "in its bubble"}, {}};
    std::vector<std::string> paths;
    for (const auto& v : versions) {
        const auto t = Clock::now();
        const auto b = bubble::ensure_bubble(pc, "omni-demo-greet==" + v);
        paths.push_back(b.info.path.string());
        context.say(fmt::format("bubble omni-demo-greet {} {} in {}", v,
                                b.built ? "built" : "found", ms(seconds_since(t))));
    }
    context.say("one Python process activates each version in turn with omni_loader.use(...)");
    const auto r = run_python(pc, {}, R"(
import time, importlib.util, omni_loader
def where():
    spec = importlib.util.find_spec("omni_demo_greet")
    return spec.origin if spec else "absent"
before = where()
for v in ("1.0.0", "2.0.0", "3.0.0"):
    t = time.perf_counter()
    with omni_loader.use("omni-demo-greet==" + v):
        import omni_demo_greet as g
        took = time.perf_counter() - t
        print(v, g.__version__, g.__file__, "%.2f" % (took * 1000))
print("after", where() == before)
)");
    if (!r.ok()) {
        result.failure = "the Python process failed: " + r.err;
        return result;
    }
    std::istringstream lines(r.out);
    std::string requested, imported, file, activation;
    result.passed = true;
    for (std::size_t i = 0;
         i < versions.size() && lines >> requested >> imported >> file >> activation; ++i) {
        const bool inside = file.starts_with(paths[i] + "/");
        result.passed = result.passed && inside && requested == imported;
        table.rows.push_back({requested, imported, file, inside ? "yes" : "NO"});
        result.summary.push_back(
            fmt::format("activating {} took {} ms (bubble on sys.path, modules purged)", requested,
                        activation));
    }
    std::string word, after;
    lines >> word >> after;
    const bool restored = after == "True";
    result.summary.push_back(
        restored ? "after the blocks omni_demo_greet resolves exactly as before: the main env is "
                   "untouched"
                 : "after the blocks omni_demo_greet resolves differently than before");
    result.passed = result.passed && table.rows.size() == versions.size() && restored;
    if (!result.passed)
        result.failure = r.out;
    result.tables.push_back(table);
    return result;
}

}  // namespace omni::demo
