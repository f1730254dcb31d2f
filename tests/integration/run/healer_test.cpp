// The healing loop with a real interpreter, a real main env and real
// bubbles. The bubbles' contents come from small local packages (the
// HealEnvironment seam), so this tests the loop: analysis, consent, rounds,
// activation and the reports, independent of where packages come from.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "omni/bubble/store.hpp"
#include "omni/run/healer.hpp"
#include "omni/standards/requirement.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
using namespace omni::run;
namespace stdfs = std::filesystem;

namespace {

// Packages "available" to the healer: name -> versions, newest last.
class LocalPackages : public HealEnvironment {
  public:
    LocalPackages(Home home, std::map<std::string, std::vector<std::string>> available)
        : store_(home), available_(std::move(available)) {}

    bubble::BubbleInfo ensure_bubble(const std::string& requirement) override {
        const auto req = standards::Requirement::parse(requirement).value();
        const auto name = req.normalized_name();
        const auto& versions = available_.at(name);
        std::string chosen;
        for (const auto& v : versions)
            if (req.specifier.contains(standards::Version::parse(v).value(), true))
                chosen = v;
        REQUIRE_FALSE(chosen.empty());
        std::string module = name == "pyyaml" ? std::string("yaml") : name;
        std::replace(module.begin(), module.end(), '-', '_');
        return store_
            .ensure({"cpython-3.11", name, chosen, requirement, ""},
                    [&](const stdfs::path& root) {
                        ++builds;
                        test::write_text(root / module / "__init__.py",
                                         "__version__ = '" + chosen + "'\n");
                        return std::vector<bubble::Distribution>{{name, chosen, {module}, 1, ""}};
                    })
            .info;
    }
    std::vector<FileLock> hold(std::vector<bubble::BubbleInfo>& bubbles) override {
        std::vector<FileLock> holds;
        for (const auto& b : bubbles)
            holds.push_back(store_.hold(b));
        return holds;
    }
    bool is_known(std::string_view distribution) override {
        return known.count(std::string(distribution)) != 0;
    }
    std::optional<std::string> version_providing(const Finding&) override { return std::nullopt; }
    std::optional<std::string> interpreter_for(std::string_view) override { return std::nullopt; }

    std::set<std::string> known{"demo-lib"};
    int builds = 0;

  private:
    bubble::BubbleStore store_;
    std::map<std::string, std::vector<std::string>> available_;
};

struct Setup {
    test::OmniHome omni;
    stdfs::path python;
    Setup() {
        REQUIRE(omni.omni({"swap", "python", "3.11"}).ok());
        python = omni.root() / "envs" / "cpython-3.11" / "bin" / "python";
        // The main env has demo_lib 2.0.
        test::write_text(omni.root() / "envs" / "cpython-3.11" / "lib" / "python3.11" /
                             "site-packages" / "demo_lib" / "__init__.py",
                         "__version__ = '2.0'\n");
    }
    RunTarget script(const std::string& text) const {
        const auto file = omni.scratch() / "app.py";
        test::write_text(file, text);
        return {{python.string(), file.string()}, file};
    }
};

HealEvents quiet() {
    HealEvents events;
    events.stderr_sink = [](std::string_view) {};
    return events;
}

}  // namespace

TEST_CASE("healer: a version assertion is healed with a bubble and the main env is untouched") {
    if (!test::pyenv_python("3.11"))
        return;
    Setup s;
    LocalPackages packages(Home(s.omni.root()), {{"demo-lib", {"1.0", "2.0"}}});
    int plans = 0;
    auto events = quiet();
    events.on_plan = [&](int, const std::vector<Fix>& fixes) {
        ++plans;
        REQUIRE(fixes.size() == 1);
        CHECK(fixes[0].requirement == "demo_lib==1.0");
        CHECK(fixes[0].approved);
        CHECK_FALSE(fixes[0].new_package);
    };
    const auto report = run_with_healing(s.script("import demo_lib\nassert demo_lib.__version__ == "
                                                  "'1.0', demo_lib.__version__\nprint('ok')\n"),
                                         packages, {}, events);
    CHECK(report.exit_code == 0);
    CHECK(report.healed);
    CHECK(report.rounds == 1);
    CHECK(plans == 1);
    CHECK(packages.builds == 1);
    REQUIRE(report.bubbles.size() == 1);
    CHECK(report.bubbles[0].version == "1.0");
    const auto main =
        s.omni.run({s.python.string(), "-c", "import demo_lib; print(demo_lib.__version__)"});
    CHECK(main.out == "2.0\n");
}

TEST_CASE("healer: a package new to the machine needs consent") {
    if (!test::pyenv_python("3.11"))
        return;
    Setup s;
    LocalPackages packages(Home(s.omni.root()), {{"pyyaml", {"6.0"}}});
    const auto target = s.script("import yaml\nprint(yaml.__version__)\n");
    HealOptions deny;
    deny.new_packages = NewPackagePolicy::deny;
    auto report = run_with_healing(target, packages, deny, quiet());
    CHECK(report.exit_code == 1);
    CHECK_FALSE(report.healed);
    CHECK_THAT(report.unhealable, Catch::Contains("deny"));
    CHECK(packages.builds == 0);

    auto asked = quiet();
    int questions = 0;
    asked.approve = [&](const Fix& fix) {
        ++questions;
        CHECK(fix.requirement == "PyYAML");
        return true;
    };
    report = run_with_healing(target, packages, {}, asked);
    CHECK(questions == 1);
    CHECK(report.healed);
}

TEST_CASE("healer: an unrelated failure is not healed and keeps its exit code") {
    if (!test::pyenv_python("3.11"))
        return;
    Setup s;
    LocalPackages packages(Home(s.omni.root()), {});
    auto report = run_with_healing(s.script("1 / 0\n"), packages, {}, quiet());
    CHECK(report.exit_code == 1);
    CHECK(report.rounds == 1);
    CHECK_THAT(report.unhealable, Catch::Contains("ZeroDivisionError"));
    report = run_with_healing(s.script("raise SystemExit(7)\n"), packages, {}, quiet());
    CHECK(report.exit_code == 7);
    CHECK(packages.builds == 0);
}

TEST_CASE("healer: two packages healed in two rounds") {
    if (!test::pyenv_python("3.11"))
        return;
    Setup s;
    LocalPackages packages(Home(s.omni.root()),
                           {{"demo-lib", {"1.0", "2.0"}}, {"pyyaml", {"5.4", "6.0"}}});
    packages.known.insert("pyyaml");
    const auto report =
        run_with_healing(s.script("import yaml\nimport demo_lib\nassert demo_lib.__version__ == "
                                  "'1.0'\nprint(yaml.__version__)\n"),
                         packages, {}, quiet());
    CHECK(report.exit_code == 0);
    CHECK(report.rounds == 2);
    CHECK(report.fixes.size() == 2);
    CHECK(report.bubbles.size() == 2);
}

TEST_CASE("healer: --no-heal and --dry-run change nothing") {
    if (!test::pyenv_python("3.11"))
        return;
    Setup s;
    LocalPackages packages(Home(s.omni.root()), {{"demo-lib", {"1.0", "2.0"}}});
    const auto target = s.script("import demo_lib\nassert demo_lib.__version__ == '1.0'\n");
    HealOptions off;
    off.heal = false;
    auto report = run_with_healing(target, packages, off, quiet());
    CHECK(report.exit_code == 1);
    CHECK(report.rounds == 0);
    HealOptions dry;
    dry.dry_run = true;
    report = run_with_healing(target, packages, dry, quiet());
    CHECK(report.exit_code == 1);
    CHECK(report.rounds == 1);
    CHECK(packages.builds == 0);
}
