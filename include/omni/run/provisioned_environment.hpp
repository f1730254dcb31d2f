#pragma once
// The healer's view of a real omni: bubbles are resolved from the indexes
// and built by the installer; interpreters come from the registry.
#include <functional>
#include <optional>
#include <string>

#include "omni/bubble/provision.hpp"
#include "omni/python/registry.hpp"
#include "omni/run/healer.hpp"

namespace omni::run {

class ProvisionedEnvironment : public HealEnvironment {
  public:
    ProvisionedEnvironment(bubble::ProvisionContext context, python::Registry& registry);

    bubble::BubbleInfo ensure_bubble(const std::string& requirement) override;
    std::vector<FileLock> hold(std::vector<bubble::BubbleInfo>& bubbles) override;
    bool is_known(std::string_view distribution) override;
    std::optional<std::string> version_providing(const Finding& finding) override;
    std::optional<std::string> interpreter_for(std::string_view specifier) override;
    ImportResolution provider_of(std::string_view module) override;
    std::vector<std::string> new_distributions(const std::string& requirement) override;

    // The bubble of an exact pin ("rich==13.4.2") when the store has it;
    // nothing is resolved or built.
    std::optional<bubble::BubbleInfo> existing_bubble(const std::string& requirement) const;

    // Dry runs: the index is not asked for import names, no main env is
    // made for another interpreter, nothing is fetched or built.
    bool side_effect_free = false;

    const bubble::ProvisionContext& context() const { return context_; }
    std::filesystem::path env_python() const { return context_.env_root / "bin" / "python"; }

    // How many versions version_providing may try (each is installed into a
    // staging directory, probed and discarded; only the winner becomes a bubble).
    int search_budget = 5;

  private:
    bubble::ProvisionContext context_;
    python::Registry& registry_;
};

}  // namespace omni::run
