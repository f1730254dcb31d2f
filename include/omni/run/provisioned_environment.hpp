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
    bool is_known(std::string_view distribution) override;
    std::optional<std::string> version_providing(const Finding& finding) override;
    std::optional<std::string> interpreter_for(std::string_view specifier) override;
    ImportResolution provider_of(std::string_view module) override;

    const bubble::ProvisionContext& context() const { return context_; }
    std::filesystem::path env_python() const { return context_.env_root / "bin" / "python"; }

    // How many versions version_providing may try (each costs a bubble).
    int search_budget = 5;

  private:
    bubble::ProvisionContext context_;
    python::Registry& registry_;
};

}  // namespace omni::run
