#include "resolve/incompatibility.hpp"

#include <algorithm>

namespace omni::resolve {

void Incompatibility::normalize() {
    std::vector<Term> merged;
    for (const auto& term : terms) {
        auto it = std::find_if(merged.begin(), merged.end(),
                               [&](const Term& t) { return t.package == term.package; });
        if (it == merged.end())
            merged.push_back(term);
        else
            *it = it->intersect(term);
    }
    std::erase_if(merged, [](const Term& t) { return t.is_any(); });
    std::sort(merged.begin(), merged.end(),
              [](const Term& a, const Term& b) { return a.package < b.package; });
    terms = std::move(merged);
}

}  // namespace omni::resolve
