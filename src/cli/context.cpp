#include "cli/context.hpp"

#include <unistd.h>

#include "cli/activity_line.hpp"

#include "omni/bubble/loader.hpp"
#include "omni/home/config.hpp"
#include "omni/index/index_settings.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "cli/self.hpp"
#include "omni/home/staging.hpp"
#include "omni/install/env_transaction.hpp"
#include "omni/python/choice.hpp"
#include "omni/python/env_interpreter.hpp"
#include "omni/python/shims.hpp"
#include "omni/util/log.hpp"

namespace omni::cli {

const Home& Context::home() {
    if (!home_) {
        Home home = Home::from_environment();
        home.ensure_layout();
        remove_stale_staging(home);
        remove_stale_temp_files(home.root());
        // bin/.omni, which the shims and loaders start, must lead to a
        // binary: after omni moved, the first command re-points it.
        std::error_code ec;
        const auto link = home.bin_dir() / python::shim_link_name;
        if (std::filesystem::is_symlink(link, ec) && !std::filesystem::exists(link, ec))
            refresh_shims(home);
        home_ = std::move(home);
    }
    return *home_;
}

namespace {

std::optional<std::string> env_value(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0')
        return std::nullopt;
    return std::string(value);
}

}  // namespace

python::Registry& Context::registry() {
    if (!registry_) {
        registry_.emplace(home(), python::DiscoveryRoots::from_environment(home()));
        registry_->refresh();
    }
    return *registry_;
}

python::Selection Context::selected_interpreter() {
    if (!selection_)
        selection_ = choose_interpreter();
    return *selection_;
}

python::Selection Context::choose_interpreter() {
    python::ChoiceInputs inputs;
    if (!options.python.empty())
        inputs.option = options.python;
    // uv's UV_PYTHON counts as OMNI_PYTHON when that is not set.
    inputs.environment = env_value("OMNI_PYTHON");
    if (!inputs.environment)
        inputs.environment = env_value("UV_PYTHON");
    inputs.cwd = std::filesystem::current_path();
    const auto choice = python::current_choice(home(), inputs);
    auto selection = python::select_chosen(registry(), choice);
    logger().info("python from {}: {}",
                  choice ? python::to_string(choice->origin) : "default (newest Python 3)",
                  selection.explanation);
    return selection;
}

python::TargetEnv Context::target_env() {
    python::TargetEnvInputs inputs;
    if (!options.env.empty())
        inputs.env_option = options.env;
    if (auto venv = env_value("VIRTUAL_ENV"))
        inputs.virtual_env = *venv;
    if (inputs.env_option || inputs.virtual_env) {
        // A named venv does not need an interpreter lookup.
        return python::select_target_env(home(), python::InterpreterInfo{}, inputs);
    }
    auto target = python::select_target_env(home(), selected_interpreter().interpreter, inputs);
    bubble::ensure_loader(target.root, home());
    return target;
}

const Settings& Context::settings() {
    if (!settings_) {
        SettingsInputs inputs;
        auto& cli = inputs.command_line;
        if (!options.index_url.empty())
            cli["index.url"] = options.index_url;
        if (!options.extra_index_urls.empty())
            cli["index.extra-urls"] = options.extra_index_urls;
        if (!options.find_links.empty())
            cli["index.find-links"] = options.find_links;
        if (options.no_index)
            cli["index.no-index"] = true;
        if (options.offline)
            cli["index.offline"] = true;
        if (!options.cert.empty())
            cli["index.cert"] = options.cert;
        if (!options.proxy.empty())
            cli["index.proxy"] = options.proxy;
        for (const auto& [key, value] : options.more_settings)
            cli[key] = value;
        settings_ = Settings::gather(home(), inputs);
    }
    return *settings_;
}

const IndexClient& Context::index() {
    if (!index_) {
        // pip honours HTTP_PROXY in capitals; libcurl reads only http_proxy
        // for plain HTTP (HTTPS_PROXY, https_proxy and NO_PROXY it reads).
        if (!env_value("http_proxy"))
            if (auto upper = env_value("HTTP_PROXY"))
                ::setenv("http_proxy", upper->c_str(), 1);
        auto opts = index_options(settings());
        // Transfer bounds and netrc, which the index module reads itself.
        const auto bounds = IndexOptions::from_settings(Config(home())).transport;
        opts.transport.connect_timeout = bounds.connect_timeout;
        opts.transport.low_speed_bytes = bounds.low_speed_bytes;
        opts.transport.low_speed_time = bounds.low_speed_time;
        opts.transport.total_timeout = bounds.total_timeout;
        opts.transport.max_page_bytes = bounds.max_page_bytes;
        opts.transport.max_metadata_bytes = bounds.max_metadata_bytes;
        opts.transport.netrc_file = bounds.netrc_file;
        meter_ = std::make_shared<IndexMeter>(
            options.quiet ? IndexProgressSink{}
                          : IndexProgressSink([activity = activity()](const IndexProgress& p) {
                                activity->index(p);
                            }));
        opts.transport.meter = meter_;
        index_.emplace(home(), std::move(opts));
    }
    return *index_;
}

void Context::say(std::string_view line) const {
    if (!options.quiet)
        fmt::print("{}\n", line);
}

void Context::finish_progress() {
    if (meter_)
        meter_->flush();
    meter_.reset();
    if (activity_)
        activity_->suspend();  // whatever is still drawn goes
}

python::InterpreterInfo Context::target_interpreter(const python::TargetEnv& target) {
    if (target.origin == python::TargetEnv::Origin::main)
        return selected_interpreter().interpreter;
    auto info = python::env_interpreter(registry(), target);
    logger().info("env {} runs {}", target.root.string(), info.describe());
    return info;
}

bubble::ProvisionContext Context::provision() {
    const auto target = target_env();
    // A change a stopped omni left half done is finished or undone first.
    install::recover_if_pending(target.root);
    return {home(), index(), target_interpreter(target), target.root,
            [activity = activity()](const bubble::ProvisionStep& step) { activity->step(step); }};
}

std::shared_ptr<ActivityLine> Context::activity() {
    if (!activity_)
        activity_ = std::make_shared<ActivityLine>(options.quiet, ::isatty(STDERR_FILENO) == 1);
    return activity_;
}

void Context::own_the_terminal_line() {
    activity()->suspend();
}

}  // namespace omni::cli
