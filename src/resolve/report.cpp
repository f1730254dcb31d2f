// Turns the derivation graph of the final incompatibility into numbered
// sentences in the style of PubGrub's reports.
#include <fmt/format.h>

#include <map>
#include <set>

#include "resolve/solver.hpp"

namespace omni::resolve {

namespace {

class Report {
  public:
    Report(const std::deque<PackageInfo>& packages, const std::vector<Incompatibility>& store)
        : packages_(packages), store_(store) {}

    std::string run(std::size_t failure) {
        count_uses(failure);
        if (derived(failure))
            visit(failure);
        else
            write(failure, text(failure) + ".");
        std::string out = "no solution satisfies these requirements:\n";
        for (const auto& line : lines_)
            out += "  " + line.text + (line.number ? fmt::format(" ({})", line.number) : "") + "\n";
        std::set<std::string> roots;
        collect_root_requirements(failure, roots);
        if (!roots.empty()) {
            std::string list;
            for (const auto& r : roots)
                list += (list.empty() ? "" : ", ") + r;
            out += fmt::format("The requirements that conflict: {}.", list);
        }
        return out;
    }

  private:
    struct Line {
        std::string text;
        std::size_t number = 0;
    };

    bool derived(std::size_t i) const { return store_[i].cause == Cause::derived; }

    void count_uses(std::size_t i) {
        if (!derived(i))
            return;
        for (auto c : {store_[i].cause1, store_[i].cause2}) {
            if (++uses_[c] == 1)
                count_uses(c);
        }
    }

    void collect_root_requirements(std::size_t i, std::set<std::string>& out) {
        const auto& inc = store_[i];
        if (derived(i)) {
            collect_root_requirements(inc.cause1, out);
            collect_root_requirements(inc.cause2, out);
        } else if (!inc.terms.empty() && packages_[inc.terms[0].package].is_root() &&
                   !inc.detail.empty()) {
            out.insert(inc.detail);
        }
    }

    std::string term_text(const Term& t) const { return describe(packages_[t.package], t.set); }

    std::string text(std::size_t i) const {
        const auto& inc = store_[i];
        const auto& terms = inc.terms;
        const bool from_root = !terms.empty() && packages_[terms[0].package].is_root();
        const std::string who = from_root ? "you require" : "";
        switch (inc.cause) {
            case Cause::dependency:
            case Cause::no_match:
            case Cause::unknown: {
                std::string depender =
                    from_root ? "you require" : term_text(terms[0]) + " depends on";
                std::string suffix;
                if (inc.cause == Cause::no_match)
                    suffix = ", which matches no version" + inc.note;
                if (inc.cause == Cause::unknown)
                    suffix = ", which no index has";
                return fmt::format("{} {}{}", depender, inc.detail, suffix);
            }
            case Cause::no_versions:
                return fmt::format("no usable version of {} exists{}", term_text(terms[0]),
                                   inc.detail.empty() ? "" : " (" + inc.detail + ")");
            case Cause::constraint:
                return fmt::format("the constraint {} {} forbids {}",
                                   packages_[terms[0].package].display(), inc.detail,
                                   term_text(terms[0]));
            case Cause::root:
            case Cause::derived:
                break;
        }
        // Derived: the root term is always true, so leave it out.
        std::vector<Term> rest;
        for (const auto& t : terms)
            if (!packages_[t.package].is_root())
                rest.push_back(t);
        if (rest.empty())
            return "your requirements cannot all be met";
        if (rest.size() == 1) {
            const auto& t = rest[0];
            if (from_root)
                return t.positive ? fmt::format("{} is forbidden", term_text(t))
                                  : fmt::format("you require {}", term_text(t));
            return t.positive ? fmt::format("{} is forbidden", term_text(t))
                              : fmt::format("{} is required", term_text(t));
        }
        if (rest.size() == 2) {
            const auto& a = rest[0];
            const auto& b = rest[1];
            if (a.positive != b.positive) {
                const auto& pos = a.positive ? a : b;
                const auto& neg = a.positive ? b : a;
                return fmt::format("{} requires {}", term_text(pos), term_text(neg));
            }
            if (a.positive)
                return fmt::format("{} is incompatible with {}", term_text(a), term_text(b));
            return fmt::format("either {} or {} is required", term_text(a), term_text(b));
        }
        std::string list;
        for (const auto& t : rest)
            list +=
                (list.empty() ? "" : ", ") + (t.positive ? "" : std::string("not ")) + term_text(t);
        return fmt::format("these cannot all hold: {}", list);
    }

    std::size_t number_of(std::size_t i) {
        auto it = line_of_.find(i);
        if (it == line_of_.end())
            return 0;
        auto& line = lines_[it->second];
        if (line.number == 0)
            line.number = ++next_number_;
        return line.number;
    }
    bool written(std::size_t i) const { return line_of_.count(i) != 0; }

    void write(std::size_t i, std::string sentence) {
        line_of_[i] = lines_.size();
        lines_.push_back({std::move(sentence), 0});
        if (uses_[i] > 1)
            number_of(i);
    }

    void visit(std::size_t i) {
        const auto& inc = store_[i];
        const std::size_t c1 = inc.cause1, c2 = inc.cause2;
        const bool d1 = derived(c1), d2 = derived(c2);
        if (d1 && d2) {
            if (written(c1) && written(c2)) {
                write(i, fmt::format("Because {} ({}) and {} ({}), {}.", text(c1), number_of(c1),
                                     text(c2), number_of(c2), text(i)));
            } else if (written(c1) || written(c2)) {
                const auto done = written(c1) ? c1 : c2;
                visit(written(c1) ? c2 : c1);
                write(i, fmt::format("And because {} ({}), {}.", text(done), number_of(done),
                                     text(i)));
            } else {
                visit(c1);
                const std::size_t n1 = number_of(c1);
                visit(c2);
                write(i, fmt::format("And because {} ({}), {}.", text(c1), n1, text(i)));
            }
        } else if (d1 || d2) {
            const auto d = d1 ? c1 : c2;
            const auto e = d1 ? c2 : c1;
            if (written(d)) {
                write(i, fmt::format("Because {} and {} ({}), {}.", text(e), text(d), number_of(d),
                                     text(i)));
            } else {
                visit(d);
                write(i, fmt::format("And because {}, {}.", text(e), text(i)));
            }
        } else {
            write(i, fmt::format("Because {} and {}, {}.", text(c1), text(c2), text(i)));
        }
    }

    const std::deque<PackageInfo>& packages_;
    const std::vector<Incompatibility>& store_;
    std::map<std::size_t, std::size_t> uses_;
    std::map<std::size_t, std::size_t> line_of_;
    std::vector<Line> lines_;
    std::size_t next_number_ = 0;
};

}  // namespace

std::string explain(const std::deque<PackageInfo>& packages,
                    const std::vector<Incompatibility>& store, std::size_t failure) {
    return Report(packages, store).run(failure);
}

}  // namespace omni::resolve
