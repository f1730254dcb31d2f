// pip's command-line habits against the omni binary: options that repeat
// take one value per flag wherever they are written, global options before
// and after the command, and a venv named by --env or $VIRTUAL_ENV is
// installed into with its own interpreter.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <catch2/catch.hpp>

#include "integration/index/fixture_server.hpp"
#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"
#include "omni/util/hash.hpp"
#include "omni/util/process.hpp"
#include "support/omni_runner.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

struct Links {
    test::OmniHome omni;
    stdfs::path links;
    bool ready = false;

    Links() {
        if (!test::pyenv_python("3.11"))
            return;
        links = omni.scratch() / "links";
        stdfs::create_directories(links);
        wheel({"--name", "ph-alpha", "--version", "1.0", "--requires", "ph-beta>=1"});
        wheel({"--name", "ph-beta", "--version", "1.0"});
        wheel({"--name", "ph-beta", "--version", "2.0"});
        wheel({"--name", "ph-gamma", "--version", "1.0"});
        wheel({"--name", "ph-pin", "--version", "1.0", "--requires", "ph-beta==1.0"});
        wheel({"--name", "ph-old", "--version", "1.0", "--requires-python", "<3.10", "--requires",
               "ph-beta<2; python_version < '3.10'"});
        wheel({"--name", "ph-old", "--version", "2.0", "--requires-python", ">=3.10"});
        ready = true;
    }
    void wheel(std::vector<std::string> args) const {
        ProcessOptions o;
        o.argv = {"python3", OMNI_FIXTURES_DIR "/make_wheel.py", "--out", links.string()};
        o.argv.insert(o.argv.end(), args.begin(), args.end());
        REQUIRE(run_process(o).ok());
    }
    ProcessResult run(const std::vector<std::string>& args) const {
        return omni.omni(args, {{"OMNI_PYTHON", "3.11"}});
    }
    ProcessResult run_env(const std::vector<std::string>& args,
                          const std::map<std::string, std::optional<std::string>>& env) const {
        auto all = env;
        all.try_emplace("OMNI_PYTHON", "3.11");
        return omni.omni(args, all);
    }
    stdfs::path file(const std::string& name, const std::string& text) const {
        const auto path = omni.scratch() / name;
        fs::atomic_write(path, text);
        return path;
    }
};

}  // namespace

TEST_CASE("pip habits: a repeatable option takes one value and leaves the requirement alone") {
    Links f;
    if (!f.ready)
        return;
    const auto d = f.links.string();
    // Every place a pip user writes --find-links, in each of its spellings.
    const std::vector<std::vector<std::string>> spellings = {
        {"install", "--dry-run", "--no-index", "--find-links", d, "ph-alpha"},
        {"install", "--dry-run", "--no-index", "-f", d, "ph-alpha"},
        {"install", "--dry-run", "--no-index", "--find-links=" + d, "ph-alpha"},
        {"install", "--dry-run", "--no-index", "-f" + d, "ph-alpha"},
        {"--no-index", "--find-links", d, "install", "--dry-run", "ph-alpha"},
        {"install", "--dry-run", "ph-alpha", "--no-index", "--find-links", d},
        {"install", "--dry-run", "--find-links", d, "--find-links", d, "--no-index", "ph-alpha"},
    };
    for (const auto& args : spellings) {
        const auto r = f.run(args);
        INFO(fmt::format("{}", fmt::join(args, " ")) << "\n" << r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("ph-alpha 1.0") && Catch::Contains("ph-beta 2.0"));
    }
}

TEST_CASE("pip habits: -r and -c take one file each, repeat, and keep the requirements") {
    Links f;
    if (!f.ready)
        return;
    const auto d = f.links.string();
    const auto base = f.file("base.txt", "ph-gamma\n");
    const auto more = f.file("more.txt", "ph-alpha\n");
    const auto cons = f.file("cons.txt", "ph-beta==1.0\n");
    const std::vector<std::vector<std::string>> spellings = {
        {"install", "--dry-run", "--no-index", "-f", d, "-r", base.string(), "ph-alpha"},
        {"install", "--dry-run", "--no-index", "-f", d, "-r", base.string(), "-r", more.string()},
        {"install", "--dry-run", "--no-index", "-f", d, "--requirement", base.string(),
         "--requirement=" + more.string()},
    };
    for (const auto& args : spellings) {
        const auto r = f.run(args);
        INFO(fmt::format("{}", fmt::join(args, " ")) << "\n" << r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("ph-gamma 1.0") && Catch::Contains("ph-alpha 1.0"));
    }
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"install", "--dry-run", "--no-index", "-f", d, "-c", cons.string(), "ph-alpha"},
             {"install", "--dry-run", "--no-index", "-f", d, "--constraint", cons.string(), "-c",
              cons.string(), "ph-alpha"},
             {"install", "--dry-run", "ph-alpha", "-c", cons.string(), "--no-index", "-f", d}}) {
        const auto r = f.run(args);
        INFO(fmt::format("{}", fmt::join(args, " ")) << "\n" << r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("ph-alpha 1.0") && Catch::Contains("ph-beta 1.0"));
    }
}

TEST_CASE("pip habits: -e, --no-binary and --only-binary take one value per flag") {
    Links f;
    if (!f.ready)
        return;
    const auto d = f.links.string();
    const auto one = f.omni.scratch() / "proj-one";
    const auto two = f.omni.scratch() / "proj-two";
    stdfs::create_directories(one);
    stdfs::create_directories(two);
    const auto r = f.run({"install", "--dry-run", "--no-index", "-f", d, "-e", one.string(), "-e",
                          two.string(), "--only-binary", ":all:", "--no-binary", "ph-zeta",
                          "--no-binary=ph-eta,ph-theta", "ph-gamma"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("would build and install " + one.string() + " (editable)"));
    CHECK_THAT(r.out, Catch::Contains("would build and install " + two.string() + " (editable)"));
    CHECK_THAT(r.out, Catch::Contains("ph-gamma 1.0"));
}

TEST_CASE("pip habits: global options before and after the command") {
    Links f;
    if (!f.ready)
        return;
    const auto d = f.links.string();
    const auto before = f.run({"-q", "--no-index", "-f", d, "install", "ph-gamma"});
    INFO(before.out << before.err);
    CHECK(before.exit_code == 0);
    CHECK(before.out.empty());
    const auto after = f.run({"install", "ph-gamma", "--reinstall", "-q", "--no-index", "-f", d});
    INFO(after.out << after.err);
    CHECK(after.exit_code == 0);
    CHECK(after.out.empty());
    const auto verbose = f.run({"list", "-v"});
    CHECK(verbose.exit_code == 0);
    CHECK_THAT(verbose.out, Catch::Contains("ph-gamma"));
    // -v says each thing once: the interpreter is chosen once per command.
    const auto chosen = verbose.err.find("python from");
    CHECK(chosen != std::string::npos);
    CHECK(verbose.err.find("python from", chosen + 1) == std::string::npos);
    // --json on info, cache info and doctor.
    const auto info = f.run({"info", "ph-gamma", "--json"});
    INFO(info.out << info.err);
    REQUIRE(info.exit_code == 0);
    const auto copies = nlohmann::json::parse(info.out);
    CHECK(copies[0]["name"] == "ph-gamma");
    CHECK(copies[0]["where"] == "main");
    const auto cache = nlohmann::json::parse(f.run({"cache", "info", "--json"}).out);
    CHECK(cache["wheels"]["entries"].get<int>() >= 0);
    const auto doctor = f.run({"doctor", "--json", "--offline"});
    const auto checks = nlohmann::json::parse(doctor.out);
    CHECK(checks["checks"].size() >= 4);
    CHECK(checks["ok"].is_boolean());
}

TEST_CASE("pip habits: an unknown command suggests the near one, omni help shows a command") {
    test::OmniHome omni;
    const auto typo = omni.omni({"instal", "rich"});
    CHECK(typo.exit_code == exit_status(ErrorCode::usage));
    CHECK_THAT(typo.err, Catch::Contains("unknown command 'instal'; did you mean 'install'?"));
    const auto global_first = omni.omni({"-v", "--index-url", "http://127.0.0.1:9/simple", "lsit"});
    CHECK(global_first.exit_code == exit_status(ErrorCode::usage));
    CHECK_THAT(global_first.err, Catch::Contains("unknown command 'lsit'; did you mean 'list'?"));
    const auto far = omni.omni({"frobnicate"});
    CHECK(far.exit_code == exit_status(ErrorCode::usage));
    CHECK_THAT(far.err, Catch::Contains("unknown command 'frobnicate'"));
    CHECK(far.err.find("did you mean") == std::string::npos);

    const auto help = omni.omni({"help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("install") && Catch::Contains("matrix"));
    const auto install_help = omni.omni({"help", "install"});
    CHECK(install_help.exit_code == 0);
    CHECK_THAT(install_help.out,
               Catch::Contains("omni install") && Catch::Contains("--requirement"));
    const auto nested = omni.omni({"help", "python", "install"});
    CHECK(nested.exit_code == 0);
    CHECK_THAT(nested.out, Catch::Contains("omni python install"));
    const auto bad = omni.omni({"help", "instal"});
    CHECK(bad.exit_code == exit_status(ErrorCode::usage));
    CHECK_THAT(bad.err, Catch::Contains("did you mean 'install'?"));
}

TEST_CASE("pip habits: --python-version and --platform resolve for another target") {
    Links f;
    if (!f.ready)
        return;
    const auto d = f.links.string();
    const auto r =
        f.run({"install", "--dry-run", "--no-index", "-f", d, "--python-version", "3.9", "ph-old"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("ph-old 1.0") && Catch::Contains("ph-beta 1.0"));
    CHECK_THAT(f.run({"install", "--dry-run", "--no-index", "-f", d, "ph-old"}).out,
               Catch::Contains("ph-old 2.0"));
    f.wheel(
        {"--name", "ph-native", "--version", "1.0", "--tag", "cp39-cp39-manylinux_2_17_aarch64"});
    const auto arm = f.run({"install", "--dry-run", "--no-index", "-f", d, "--python-version",
                            "3.9", "--platform", "manylinux2014_aarch64", "ph-native"});
    INFO(arm.out << arm.err);
    CHECK(arm.exit_code == 0);
    CHECK_THAT(arm.out, Catch::Contains("ph-native 1.0"));
    const auto without =
        f.run({"install", "--no-index", "-f", d, "--python-version", "3.9", "ph-old"});
    CHECK(without.exit_code == exit_status(ErrorCode::usage));
    const auto bad = f.run({"install", "--dry-run", "--platform", "win_amd64", "ph-old"});
    CHECK(bad.exit_code == exit_status(ErrorCode::invalid_input));
}

TEST_CASE("pip habits: a 3.9 venv named by --env or $VIRTUAL_ENV installs for 3.9") {
    Links f;
    if (!f.ready)
        return;
    const auto py39 = test::pyenv_python("3.9");
    const auto py313 = test::pyenv_python("3.13");
    if (!py39 || !py313)
        return;
    const auto d = f.links.string();
    for (const bool by_option : {true, false}) {
        const auto venv = f.omni.scratch() / (by_option ? "venv-option" : "venv-variable");
        REQUIRE(f.omni.run({py39->string(), "-m", "venv", "--without-pip", venv.string()}).ok());
        std::vector<std::string> args{"install", "--no-index", "-f", d, "ph-old", "ph-gamma"};
        std::map<std::string, std::optional<std::string>> env{{"OMNI_PYTHON", "3.13"}};
        if (by_option)
            args.insert(args.begin(), {"--env", venv.string()});
        else
            env["VIRTUAL_ENV"] = venv.string();
        const auto r = f.run_env(args, env);
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        // 3.9's Requires-Python picks ph-old 1.0; its marker brings ph-beta<2.
        CHECK_THAT(r.out, Catch::Contains("installed ph-old 1.0") &&
                              Catch::Contains("installed ph-beta 1.0"));
        const auto site = venv / "lib/python3.9/site-packages";
        CHECK(stdfs::exists(site / "ph_old" / "__init__.py"));
        CHECK(stdfs::exists(site / "ph_gamma" / "__init__.py"));
        CHECK_FALSE(stdfs::exists(venv / "lib/python3.13"));
        const auto imported =
            f.omni.run({(venv / "bin/python").string(), "-c",
                        "import ph_old, ph_beta, sys; print(ph_old.hello(), ph_beta.hello(), "
                        "sys.version_info[:2] == (3, 9), ph_old.__file__.startswith(sys.prefix))"});
        CHECK(imported.out == "ph-old 1.0 ph-beta 1.0 True True\n");
    }
}

namespace {

// A loopback index with yanked and pre-release files.
struct IndexFixture {
    test::OmniHome omni;
    std::filesystem::path root;
    std::optional<test::FixtureServer> server;
    bool ready = false;
    IndexFixture() {
        if (test::fixture_python().empty() || !test::pyenv_python("3.11"))
            return;
        root = omni.scratch() / "index";
        test::make_index(root, {"--spec-json", R"({"packages": [
            {"name": "ph-y", "version": "1.0"},
            {"name": "ph-y", "version": "2.0", "yanked": "broken build"},
            {"name": "ph-p", "version": "1.0"},
            {"name": "ph-p", "version": "2.0rc1"}]})"});
        server.emplace(root);
        ready = true;
    }
    ProcessResult run(std::vector<std::string> args,
                      std::map<std::string, std::optional<std::string>> env = {}) const {
        env.try_emplace("OMNI_PYTHON", "3.11");
        env.try_emplace("OMNI_INDEX_URL", server->url());
        return omni.omni(args, env);
    }
};

}  // namespace

TEST_CASE("pip habits: a yanked file is used only when pinned exactly, with a warning") {
    IndexFixture f;
    if (!f.ready)
        return;
    const auto plain = f.run({"install", "--dry-run", "ph-y"});
    INFO(plain.out << plain.err);
    CHECK(plain.exit_code == 0);
    CHECK_THAT(plain.out, Catch::Contains("ph-y 1.0"));
    const auto range = f.run({"install", "--dry-run", "ph-y>=2"});
    CHECK(range.exit_code != 0);
    CHECK_THAT(range.err, Catch::Contains("ph-y 2.0 is yanked"));
    const auto pinned = f.run({"install", "ph-y==2.0"});
    INFO(pinned.out << pinned.err);
    CHECK(pinned.exit_code == 0);
    CHECK_THAT(pinned.out, Catch::Contains("installed ph-y 2.0"));
    CHECK_THAT(pinned.err, Catch::Contains("ph-y 2.0 is yanked"));
}

TEST_CASE("pip habits: packaging 26 pre-release rules in install and versions") {
    IndexFixture f;
    if (!f.ready)
        return;
    CHECK_THAT(f.run({"install", "--dry-run", "ph-p"}).out, Catch::Contains("ph-p 1.0"));
    // A specifier naming a pre-release with < admits pre-releases.
    const auto named = f.run({"install", "--dry-run", "ph-p<2.0rc2"});
    INFO(named.out << named.err);
    CHECK_THAT(named.out, Catch::Contains("ph-p 2.0rc1"));
    CHECK_THAT(f.run({"install", "--dry-run", "--pre", "ph-p"}).out,
               Catch::Contains("ph-p 2.0rc1"));
    CHECK_THAT(f.run({"install", "--dry-run", "ph-p"}, {{"PIP_PRE", "1"}}).out,
               Catch::Contains("ph-p 2.0rc1"));
    const auto finals = f.run({"versions", "ph-p", ">=0.5"});
    CHECK(finals.out == "1.0\n");
    const auto with_pre = f.run({"versions", "ph-p", "<2.0rc2"});
    CHECK(with_pre.out == "2.0rc1 pre-release\n1.0\n");
    const auto only_pre = f.run({"versions", "ph-p", ">1.0"});
    CHECK(only_pre.out == "2.0rc1 pre-release\n");
}

TEST_CASE("pip habits: an unreachable index among several is a warning") {
    IndexFixture f;
    if (!f.ready)
        return;
    const std::string dead = "http://127.0.0.1:1/simple/";
    const auto r = f.run({"install", "--dry-run", "--index-url", dead, "--extra-index-url",
                          f.server->url(), "ph-y"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("ph-y 1.0"));
    CHECK_THAT(r.err, Catch::Contains("warning") && Catch::Contains("127.0.0.1:1"));
    const auto alone = f.run({"install", "--dry-run", "--index-url", dead, "ph-y"});
    CHECK(alone.exit_code == exit_status(ErrorCode::network));
}

TEST_CASE("pip habits: PIP_* variables and pip.conf feed the sources, below the command line") {
    Links f;
    if (!f.ready)
        return;
    const auto d = f.links.string();
    const auto by_env = f.run_env({"install", "--dry-run", "ph-alpha"},
                                  {{"PIP_FIND_LINKS", d}, {"PIP_NO_INDEX", "1"}});
    INFO(by_env.out << by_env.err);
    CHECK(by_env.exit_code == 0);
    CHECK_THAT(by_env.out, Catch::Contains("ph-alpha 1.0"));
    const auto conf =
        f.file("pip.conf", "[global]\nno-index = true\n[install]\nfind-links = " + d + "\n");
    const auto by_conf =
        f.run_env({"install", "--dry-run", "ph-gamma"}, {{"PIP_CONFIG_FILE", conf.string()}});
    INFO(by_conf.out << by_conf.err);
    CHECK(by_conf.exit_code == 0);
    CHECK_THAT(by_conf.out, Catch::Contains("ph-gamma 1.0"));
    const auto origins = f.run_env({"config", "list", "--show-origin"},
                                   {{"PIP_CONFIG_FILE", conf.string()}, {"PIP_PRE", "yes"}});
    CHECK_THAT(origins.out, Catch::Contains("index.no-index = true\t(pip.conf: " + conf.string() +
                                            ":2 [global] no-index)"));
    CHECK_THAT(origins.out, Catch::Contains("install.pre = true\t(PIP_*/UV_* variable: PIP_PRE)"));
    // The command line wins over the environment: an empty links dir finds nothing.
    const auto empty = f.omni.scratch() / "empty-links";
    std::filesystem::create_directories(empty);
    const auto cli_wins = f.run_env({"install", "--dry-run", "-f", empty.string(), "ph-gamma"},
                                    {{"PIP_FIND_LINKS", d}, {"PIP_NO_INDEX", "1"}});
    CHECK(cli_wins.exit_code != 0);
    // A variable that is no URL is one clear error naming it.
    const auto bad_url = f.run_env({"install", "--dry-run", "-f", d, "ph-gamma"},
                                   {{"PIP_NO_INDEX", "1"}, {"PIP_EXTRA_INDEX_URL", "nonsense"}});
    CHECK(bad_url.exit_code == exit_status(ErrorCode::invalid_input));
    CHECK_THAT(bad_url.err, Catch::Contains("PIP_EXTRA_INDEX_URL"));
}

TEST_CASE("pip habits: exec --with resolves its requirements together, 127 for no command") {
    Links f;
    if (!f.ready)
        return;
    const auto d = f.links.string();
    const std::vector<std::string> sources{"--no-index", "-f", d};
    auto with = [&](std::vector<std::string> args) {
        std::vector<std::string> all = sources;
        all.insert(all.end(), args.begin(), args.end());
        return f.run(all);
    };
    // Alone, ph-beta would be 2.0; with ph-pin it must be ph-pin's 1.0.
    const auto joint = with({"exec", "--with", "ph-pin", "--with", "ph-beta", "--", "python", "-c",
                             "import ph_beta; print(ph_beta.__version__)"});
    INFO(joint.out << joint.err);
    CHECK(joint.exit_code == 0);
    CHECK(joint.out == "1.0\n");
    const auto conflict =
        with({"exec", "--with", "ph-pin", "--with", "ph-beta==2.0", "--", "python", "-c", "1"});
    CHECK(conflict.exit_code == exit_status(ErrorCode::conflict));
    CHECK_THAT(conflict.err, Catch::Contains("cannot be active together"));
    const auto missing = with({"exec", "--with", "ph-gamma", "--", "omni-no-such-command"});
    CHECK(missing.exit_code == 127);
    CHECK_THAT(missing.err, Catch::Contains("command not found: omni-no-such-command"));
}

TEST_CASE("pip habits: wheel files are checked like candidates and bring their dependencies") {
    Links f;
    if (!f.ready)
        return;
    const auto d = f.links.string();
    const auto alpha = f.links / "ph_alpha-1.0-py3-none-any.whl";
    REQUIRE(std::filesystem::exists(alpha));
    const auto r = f.run({"install", "--no-index", "-f", d, alpha.string()});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("installed ph-beta 2.0 (a dependency)") &&
                          Catch::Contains("installed ph-alpha 1.0 from"));
    // Requires-Python <3.10 against 3.11: refused, naming the file.
    const auto old = f.links / "ph_old-1.0-py3-none-any.whl";
    const auto refused = f.run({"install", "--no-index", "-f", d, old.string()});
    CHECK(refused.exit_code == exit_status(ErrorCode::invalid_input));
    CHECK_THAT(refused.err, Catch::Contains("ph_old-1.0-py3-none-any.whl") &&
                                Catch::Contains("requires Python <3.10"));
    // A tag the interpreter does not support: refused.
    f.wheel({"--name", "ph-tagged", "--version", "1.0", "--tag", "cp27-cp27mu-manylinux1_x86_64"});
    const auto tagged =
        f.run({"install", (f.links / "ph_tagged-1.0-cp27-cp27mu-manylinux1_x86_64.whl").string()});
    CHECK(tagged.exit_code == exit_status(ErrorCode::invalid_input));
    CHECK_THAT(tagged.err, Catch::Contains("none of its tags is supported"));
    // name @ file:///...: a direct reference to the same wheel, with --no-deps.
    const auto direct =
        f.run({"install", "--reinstall", "--no-deps",
               "ph-gamma @ file://" + (f.links / "ph_gamma-1.0-py3-none-any.whl").string()});
    INFO(direct.out << direct.err);
    CHECK(direct.exit_code == 0);
    CHECK_THAT(direct.out, Catch::Contains("installed ph-gamma 1.0 from"));
    const auto wrong = f.run(
        {"install", "other @ file://" + (f.links / "ph_gamma-1.0-py3-none-any.whl").string()});
    CHECK(wrong.exit_code == exit_status(ErrorCode::invalid_input));
}

TEST_CASE("pip habits: hash-checking mode refuses a wrong hash, a missing one and a range") {
    Links f;
    if (!f.ready)
        return;
    const auto d = f.links.string();
    const auto gamma = f.links / "ph_gamma-1.0-py3-none-any.whl";
    const auto good = sha256_file(gamma);
    const std::string bad(64, '0');
    auto req = [&](const std::string& text) { return f.file("hashes.txt", text).string(); };
    const std::vector<std::string> base{"install", "--no-index", "-f", d, "-r"};
    auto install = [&](const std::string& file, std::vector<std::string> more = {}) {
        auto args = base;
        args.push_back(file);
        args.insert(args.end(), more.begin(), more.end());
        return f.run(args);
    };
    const auto ok = install(req("ph-gamma==1.0 --hash=sha256:" + good + "\n"));
    INFO(ok.out << ok.err);
    CHECK(ok.exit_code == 0);
    CHECK_THAT(ok.out, Catch::Contains("installed ph-gamma 1.0"));
    const auto wrong = install(req("ph-gamma==1.0 --hash=sha256:" + bad + "\n"), {"--reinstall"});
    CHECK(wrong.exit_code == exit_status(ErrorCode::integrity));
    CHECK_THAT(wrong.err, Catch::Contains("none of its --hash values"));
    // ph-alpha's dependency ph-beta has no --hash.
    const auto alpha = f.links / "ph_alpha-1.0-py3-none-any.whl";
    const auto missing = install(req("ph-alpha==1.0 --hash=sha256:" + sha256_file(alpha) + "\n"));
    CHECK(missing.exit_code == exit_status(ErrorCode::integrity));
    CHECK_THAT(missing.err, Catch::Contains("ph-beta 2.0 has no --hash"));
    const auto range = install(req("ph-gamma>=1.0 --hash=sha256:" + good + "\n"));
    CHECK(range.exit_code == exit_status(ErrorCode::invalid_input));
    CHECK_THAT(range.err, Catch::Contains("is not pinned with =="));
    const auto no_hash =
        f.run({"install", "--no-index", "-f", d, "--require-hashes", "ph-gamma==1.0"});
    CHECK(no_hash.exit_code == exit_status(ErrorCode::integrity));
    CHECK_THAT(no_hash.err, Catch::Contains("has no --hash"));
}

TEST_CASE("pip habits: --report - prints pip's installation report alone, -U upgrades in place") {
    Links f;
    if (!f.ready)
        return;
    const auto d = f.links.string();
    const auto r =
        f.run({"install", "--dry-run", "--no-index", "-f", d, "--report", "-", "ph-alpha"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const auto report = nlohmann::json::parse(r.out);
    CHECK(report["version"] == "1");
    REQUIRE(report["install"].size() == 2);
    for (const auto& item : report["install"]) {
        CHECK(item["download_info"]["archive_info"]["hashes"]["sha256"].get<std::string>().size() ==
              64);
        CHECK(item["is_yanked"] == false);
        CHECK(item["metadata"]["metadata_version"] == "2.1");
    }
    CHECK(report["install"][0]["metadata"]["name"] == "ph-alpha");
    CHECK(report["install"][0]["metadata"]["requires_dist"][0] == "ph-beta>=1");
    CHECK(report["environment"]["python_version"] == "3.11");
    // ph-beta 1.0 first, then -U takes it to 2.0 in the main env.
    REQUIRE(f.run({"install", "--no-index", "-f", d, "ph-beta==1.0"}).ok());
    const auto kept = f.run({"install", "--no-index", "-f", d, "ph-beta"});
    CHECK_THAT(kept.out, Catch::Contains("ph-beta 1.0 is already installed"));
    const auto target = f.omni.scratch() / "target";
    const auto into =
        f.run({"install", "--no-index", "-f", d, "--target", target.string(), "ph-alpha"});
    INFO(into.out << into.err);
    CHECK(into.exit_code == 0);
    CHECK(std::filesystem::exists(target / "ph_alpha" / "__init__.py"));
    CHECK(std::filesystem::exists(target / "ph_beta" / "__init__.py"));
    const auto up = f.run({"install", "--no-index", "-f", d, "-U", "ph-beta"});
    INFO(up.out << up.err);
    CHECK(up.exit_code == 0);
    CHECK_THAT(up.out, Catch::Contains("upgrading in " + (f.omni.root() / "envs").string()) &&
                           Catch::Contains("installed ph-beta 2.0"));
}

TEST_CASE("pip habits: --target and --prefix install the closure as one change, and -U replaces") {
    Links f;
    if (!f.ready)
        return;
    const auto d = f.links.string();
    const auto target = f.omni.scratch() / "target";
    auto r = f.run({"install", "--no-index", "-f", d, "--target", target.string(), "ph-beta==1.0"});
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK_THAT(r.out, Catch::Contains("installed ph-beta 1.0 into " + target.string()));
    // Kept without -U, as pip keeps it; replaced whole with -U.
    r = f.run({"install", "--no-index", "-f", d, "-t", target.string(), "ph-alpha", "ph-beta"});
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK_THAT(r.out, Catch::Contains("installed ph-alpha 1.0") &&
                          Catch::Contains("ph-beta 1.0 is already in " + target.string()));
    r = f.run({"install", "--no-index", "-f", d, "-U", "--target", target.string(), "ph-beta"});
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    CHECK_THAT(r.out, Catch::Contains("installed ph-beta 2.0"));
    CHECK_FALSE(stdfs::exists(target / "ph_beta-1.0.dist-info"));
    CHECK(stdfs::exists(target / "ph_beta-2.0.dist-info" / "RECORD"));
    auto py = f.omni.run({test::pyenv_python("3.11")->string(), "-c",
                          "import sys; sys.path.insert(0, '" + target.string() +
                              "'); import ph_alpha, ph_beta; print(ph_beta.__version__)"});
    CHECK(py.out == "2.0\n");
    // Each change is a transaction of the directory, with its history.
    CHECK(stdfs::exists(target / ".omni" / "history"));
    CHECK_FALSE(stdfs::exists(target / ".omni" / "journal.json"));

    // --prefix: pip's layout under the prefix, scripts run the interpreter.
    const auto prefix = f.omni.scratch() / "prefix";
    r = f.run({"install", "--no-index", "-f", d, "--prefix", prefix.string(), "ph-alpha"});
    INFO(r.out << r.err);
    REQUIRE(r.ok());
    const auto site = prefix / "lib" / "python3.11" / "site-packages";
    CHECK(stdfs::exists(site / "ph_alpha" / "__init__.py"));
    CHECK(stdfs::exists(site / "ph_beta" / "__init__.py"));
    py = f.omni.run({test::pyenv_python("3.11")->string(), "-c",
                     "import sys; sys.path.insert(0, '" + site.string() +
                         "'); import ph_alpha; print(ph_alpha.__version__)"});
    CHECK(py.out == "1.0\n");
    // The main env is untouched by both.
    CHECK_FALSE(
        stdfs::exists(f.omni.root() / "envs/cpython-3.11/lib/python3.11/site-packages/ph_alpha"));

    r = f.run({"install", "--no-index", "-f", d, "--target", target.string(), "--prefix",
               prefix.string(), "ph-alpha"});
    CHECK(r.exit_code == exit_status(ErrorCode::usage));
    CHECK_THAT(r.err, Catch::Contains("--target and --prefix"));
}

TEST_CASE("pip habits: -q prints only errors, for every command that changes something") {
    Links f;
    if (!f.ready)
        return;
    const auto d = f.links.string();
    const auto quiet = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "-q");
        const auto r = f.run(args);
        INFO(fmt::format("omni {}\n{}{}", fmt::join(args, " "), r.out, r.err));
        CHECK(r.ok());
        CHECK(r.out.empty());
        CHECK(r.err.empty());
        return r;
    };
    quiet({"swap", "python", "3.11"});
    quiet({"venv", (f.omni.scratch() / "v").string()});
    quiet({"--no-index", "-f", d, "install", "ph-beta==1.0"});
    quiet({"--no-index", "-f", d, "install", "ph-alpha", "ph-gamma==1.0"});
    quiet({"--no-index", "-f", d, "install", "--main", "ph-beta==2.0"});
    quiet({"uninstall", "ph-gamma"});
    quiet({"revert", "--last"});
    quiet({"bubble", "prune", "--older-than", "0"});
    quiet({"cache", "prune"});
    quiet({"cache", "clean"});
    // What a command answers is printed whatever -q says.
    const auto listed = f.run({"-q", "list"});
    CHECK_THAT(listed.out, Catch::Contains("ph-beta"));
    // And an error still is.
    const auto bad = f.run({"-q", "uninstall", "ph-nowhere"});
    CHECK_FALSE(bad.ok());
    CHECK_THAT(bad.err, Catch::Contains("ph-nowhere"));
}
