#include "cli/context.hpp"

#include <unistd.h>

#include "cli/index_progress.hpp"

#include "omni/bubble/loader.hpp"
#include "omni/home/config.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "cli/self.hpp"
#include "omni/home/staging.hpp"
#include "omni/install/env_transaction.hpp"
#include "omni/python/choice.hpp"
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
    python::ChoiceInputs inputs;
    if (!options.python.empty())
        inputs.option = options.python;
    inputs.environment = env_value("OMNI_PYTHON");
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

const IndexClient& Context::index() {
    if (!index_) {
        auto opts = IndexOptions::from_settings(Config(home()));
        if (!options.index_url.empty())
            opts.index_url = options.index_url;
        for (const auto& url : options.extra_index_urls)
            opts.extra_index_urls.push_back(url);
        for (const auto& links : options.find_links)
            opts.find_links.push_back(links);
        opts.no_index = opts.no_index || options.no_index;
        opts.offline = opts.offline || options.offline;
        meter_ = make_index_meter(options.quiet, ::isatty(STDERR_FILENO) == 1);
        opts.transport.meter = meter_;
        index_.emplace(home(), std::move(opts));
    }
    return *index_;
}

void Context::finish_progress() {
    if (meter_)
        meter_->flush();
    meter_.reset();
}

bubble::ProvisionContext Context::provision() {
    const auto target = target_env();
    // A change a stopped omni left half done is finished or undone first.
    install::recover_if_pending(target.root);
    return {home(), index(), selected_interpreter().interpreter, target.root};
}

}  // namespace omni::cli
