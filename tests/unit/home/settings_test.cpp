#include <catch2/catch.hpp>

#include "omni/home/config.hpp"
#include "omni/home/settings.hpp"
#include "omni/util/error.hpp"
#include "support/temp_dir.hpp"

using namespace omni;
namespace stdfs = std::filesystem;

namespace {

struct Fixture {
    test::TempDir dir;
    Home home{dir / "home"};
    std::map<std::string, std::string> env;
    std::vector<stdfs::path> pip_conf;
    Fixture() { home.ensure_layout(); }

    SettingsInputs inputs() const {
        SettingsInputs in;
        in.environment = [vars = env](const char* name) -> std::optional<std::string> {
            auto it = vars.find(name);
            if (it == vars.end() || it->second.empty())
                return std::nullopt;
            return it->second;
        };
        in.pip_conf_files = pip_conf;
        return in;
    }
    Settings gather(SettingsInputs in) const { return Settings::gather(home, in); }
    Settings gather() const { return gather(inputs()); }
    stdfs::path conf(const std::string& name, const std::string& text) {
        const auto path = dir / name;
        test::write_text(path, text);
        pip_conf.push_back(path);
        return path;
    }
};

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("settings: command line > OMNI_* > config > PIP_*/UV_* > pip.conf > default") {
    Fixture f;
    CHECK(f.gather().get("index.url") == nullptr);
    f.conf("pip.conf", "[global]\nindex-url = http://127.0.0.1:1/conf\n");
    auto s = f.gather();
    CHECK(*s.text("index.url") == "http://127.0.0.1:1/conf");
    CHECK(s.get("index.url")->layer == SettingLayer::pip_conf);
    CHECK(s.get("index.url")->origin == (f.dir / "pip.conf").string() + ":2 [global] index-url");

    f.env["UV_INDEX_URL"] = "http://127.0.0.1:1/uv";
    CHECK(*f.gather().text("index.url") == "http://127.0.0.1:1/uv");
    f.env["PIP_INDEX_URL"] = "http://127.0.0.1:1/pip";
    s = f.gather();
    CHECK(*s.text("index.url") == "http://127.0.0.1:1/pip");
    CHECK(s.get("index.url")->origin == "PIP_INDEX_URL");

    Config(f.home).set("index.url", "http://127.0.0.1:1/config");
    CHECK(*f.gather().text("index.url") == "http://127.0.0.1:1/config");
    f.env["OMNI_INDEX_URL"] = "http://127.0.0.1:1/omni";
    CHECK(*f.gather().text("index.url") == "http://127.0.0.1:1/omni");
    auto in = f.inputs();
    in.command_line["index.url"] = "http://127.0.0.1:1/cli";
    s = f.gather(in);
    CHECK(*s.text("index.url") == "http://127.0.0.1:1/cli");
    CHECK(s.get("index.url")->layer == SettingLayer::command_line);
}

TEST_CASE("settings: each PIP_* and UV_* variable lands on its key") {
    Fixture f;
    f.env = {{"PIP_EXTRA_INDEX_URL", "http://127.0.0.1:1/a  http://127.0.0.1:1/b"},
             {"PIP_FIND_LINKS", "/tmp/one /tmp/two"},
             {"PIP_NO_INDEX", "yes"},
             {"PIP_PRE", "1"},
             {"PIP_REQUIRE_HASHES", "true"},
             {"PIP_CERT", "/etc/ssl/pip.pem"},
             {"SSL_CERT_DIR", "/etc/ssl/certs"},
             {"PIP_UPGRADE_STRATEGY", "eager"},
             {"UV_LINK_MODE", "hardlink"},
             {"PIP_PROXY", "http://127.0.0.1:3128"}};
    auto s = f.gather();
    CHECK(s.list("index.extra-urls") ==
          std::vector<std::string>{"http://127.0.0.1:1/a", "http://127.0.0.1:1/b"});
    CHECK(s.list("index.find-links") == std::vector<std::string>{"/tmp/one", "/tmp/two"});
    CHECK(s.flag("index.no-index"));
    CHECK(s.flag("install.pre"));
    CHECK(s.flag("install.require-hashes"));
    CHECK(*s.text("index.cert") == "/etc/ssl/pip.pem");
    CHECK(*s.text("index.cert-dir") == "/etc/ssl/certs");
    CHECK(*s.text("install.upgrade-strategy") == "eager");
    CHECK(*s.text("install.link-mode") == "hardlink");
    CHECK(*s.text("index.proxy") == "http://127.0.0.1:3128");

    // uv's spellings: UV_DEFAULT_INDEX, and `name=url` entries of UV_INDEX.
    Fixture g;
    g.env = {{"UV_DEFAULT_INDEX", "internal=http://127.0.0.1:1/uv"},
             {"UV_INDEX", "one=http://127.0.0.1:1/x http://127.0.0.1:1/y"},
             {"UV_NO_INDEX", "0"},
             {"REQUESTS_CA_BUNDLE", "/etc/ssl/requests.pem"},
             {"CURL_CA_BUNDLE", "/etc/ssl/curl.pem"}};
    s = g.gather();
    CHECK(*s.text("index.url") == "http://127.0.0.1:1/uv");
    CHECK(s.list("index.extra-urls") ==
          std::vector<std::string>{"http://127.0.0.1:1/x", "http://127.0.0.1:1/y"});
    CHECK_FALSE(s.flag("index.no-index"));
    // PIP_CERT, then SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE.
    CHECK(*s.text("index.cert") == "/etc/ssl/requests.pem");
    CHECK(s.get("index.cert")->origin == "REQUESTS_CA_BUNDLE");
    g.env["SSL_CERT_FILE"] = "/etc/ssl/ssl.pem";
    CHECK(*g.gather().text("index.cert") == "/etc/ssl/ssl.pem");
}

TEST_CASE("settings: pip.conf sections, continuation lines, later files and PIP_CONFIG_FILE") {
    Fixture f;
    f.conf("global.conf",
           "# pip's global file\n[global]\nindex_url = http://127.0.0.1:1/global\n"
           "extra-index-url =\n    http://127.0.0.1:1/e1\n    http://127.0.0.1:1/e2\n"
           "timeout = 60\n[freeze]\nfind-links = /nowhere\n");
    f.conf("user.conf", "[install]\nindex-url: http://127.0.0.1:1/user-install\npre = on\n");
    const auto s = f.gather();
    CHECK(*s.text("index.url") == "http://127.0.0.1:1/user-install");
    CHECK(s.list("index.extra-urls") ==
          std::vector<std::string>{"http://127.0.0.1:1/e1", "http://127.0.0.1:1/e2"});
    CHECK(s.flag("install.pre"));
    CHECK(s.get("index.find-links") == nullptr);  // [freeze] is another command's

    // pip's locations: PIP_CONFIG_FILE last, /dev/null turns them all off.
    const auto lookup = [](std::map<std::string, std::string> vars) -> EnvLookup {
        return [vars](const char* name) -> std::optional<std::string> {
            auto it = vars.find(name);
            return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
        };
    };
    const auto places = pip_conf_locations(
        lookup({{"HOME", "/home/u"}, {"VIRTUAL_ENV", "/v"}, {"PIP_CONFIG_FILE", "/x/pip.ini"}}));
    CHECK(places == std::vector<stdfs::path>{
                        "/etc/xdg/pip/pip.conf", "/etc/pip.conf", "/home/u/.pip/pip.conf",
                        "/home/u/.config/pip/pip.conf", "/v/pip.conf", "/x/pip.ini"});
    CHECK(pip_conf_locations(lookup({{"HOME", "/h"}, {"PIP_CONFIG_FILE", "/dev/null"}})).empty());
}

TEST_CASE("settings: hostile or broken values are one clear error naming their source") {
    Fixture f;
    f.env["PIP_INDEX_URL"] = "javascript:alert(1)";
    CHECK_THAT(error_of([&] { f.gather(); }),
               Catch::Contains("PIP_INDEX_URL") && Catch::Contains("http://, https:// or file://"));
    f.env.clear();
    f.env["PIP_NO_INDEX"] = "maybe";
    CHECK_THAT(error_of([&] { f.gather(); }),
               Catch::Contains("PIP_NO_INDEX") && Catch::Contains("true or false"));
    f.env.clear();
    f.env["UV_LINK_MODE"] = "teleport";
    CHECK_THAT(error_of([&] { f.gather(); }), Catch::Contains("one of clone, copy, hardlink"));
    f.env.clear();
    const auto bad = f.conf("bad.conf", "[global]\nindex-url http://127.0.0.1:1/\n");
    CHECK_THAT(error_of([&] { f.gather(); }),
               Catch::Contains(bad.string() + ":2") && Catch::Contains("expected 'key = value'"));
    f.pip_conf = {f.conf("orphan.conf", "index-url = http://127.0.0.1:1/\n")};
    CHECK_THAT(error_of([&] { f.gather(); }), Catch::Contains("before any [section]"));
    f.pip_conf = {f.conf("unclosed.conf", "[global\n")};
    CHECK_THAT(error_of([&] { f.gather(); }), Catch::Contains("closing ']'"));
}

TEST_CASE("settings: known keys check their values, unknown keys pass through") {
    const auto* spec = find_setting("heal.new-packages");
    REQUIRE(spec != nullptr);
    CHECK(check_setting(*spec, "ask", "x").has_value());
    CHECK_FALSE(check_setting(*spec, "sometimes", "x").has_value());
    CHECK_FALSE(check_setting(*find_setting("matrix.jobs"), 0, "x").has_value());
    CHECK(check_setting(*find_setting("matrix.jobs"), 4, "x").has_value());
    CHECK(check_setting(*find_setting("index.no-index"), "yes", "x").value() == true);
    CHECK_FALSE(check_setting(*find_setting("index.extra-urls"), R"(["ftp://x"])"_json, "x"));
    CHECK(find_setting("a.b") == nullptr);
    Fixture f;
    Config(f.home).set("a.b", 1);
    CHECK(f.gather().get("a.b")->value == 1);
}
