// Demo 5: three versions of one package activated in turn inside one Python
// process with omni_loader.
#include <sstream>

#include <fmt/format.h>

#include "demo/demo_common.hpp"

namespace omni::demo {

DemoResult run_loader(DemoContext& context) {
    const auto interpreter = pick_interpreters(context, {"3.11", "3.12", "3.10"}, 1).front();
    const auto pc = provision(context, interpreter);
    const auto& subject = context.subject;
    const auto& versions = subject.versions;
    DemoResult result;
    DemoTable table{
        "inside one process", {"requested", "imported", "loaded from", "in its bubble"}, {}};
    std::vector<std::string> paths;
    std::string module;
    for (std::size_t i = 0; i < versions.size(); ++i) {
        const auto t = Clock::now();
        const auto b = bubble::ensure_bubble(pc, subject.requirement(i));
        paths.push_back(b.info.path.string());
        module = module_in(b.info, subject.name);
        context.say(fmt::format("bubble {} {} {} in {}", subject.name, versions[i],
                                b.built ? "built" : "found", ms(seconds_since(t))));
    }
    context.say("one Python process activates each version in turn with omni_loader.use(...)");
    const auto r = run_python(pc, {},
                              fmt::format(R"(
import sys, time, importlib, importlib.util, omni_loader
try:
    from importlib.metadata import version
except ImportError:
    version = None
def where():
    spec = importlib.util.find_spec("{1}")
    return spec.origin if spec else "absent"
before = where()
for v in sys.argv[1:]:
    t = time.perf_counter()
    with omni_loader.use("{0}==" + v):
        m = importlib.import_module("{1}")
        took = time.perf_counter() - t
        have = version("{0}") if version else getattr(m, "__version__", "?")
        print(v, have, m.__file__, "%.2f" % (took * 1000))
print("after", where() == before)
)",
                                          subject.name, module),
                              versions);
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
        restored ? fmt::format("after the blocks {} resolves exactly as before: the main env is "
                               "untouched",
                               module)
                 : fmt::format("after the blocks {} resolves differently than before", module));
    result.passed = result.passed && table.rows.size() == versions.size() && restored;
    if (!result.passed)
        result.failure = r.out;
    result.tables.push_back(table);
    return result;
}

}  // namespace omni::demo
