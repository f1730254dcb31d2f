#include "omni/python/registry.hpp"

#include <algorithm>
#include <future>
#include <map>

#include <fmt/format.h>

#include "omni/python/query.hpp"
#include "omni/util/file_lock.hpp"
#include "omni/util/log.hpp"
#include "omni/util/thread_pool.hpp"
#include "python/registry_file.hpp"

namespace omni::python {

namespace stdfs = std::filesystem;
using detail::RegistryDoc;
using detail::RegistryEntry;

namespace {

struct Wanted {
    stdfs::path path;
    Source source;
    detail::FileStamp stamp;
};

// What should be in the registry now: discovered and adopted files, not
// forgotten, with their current stamps.
std::vector<Wanted> wanted_entries(const DiscoveryRoots& roots, const RegistryDoc& doc) {
    std::vector<Candidate> candidates = discover(roots);
    for (const auto& adopted : doc.adopted) {
        const bool known =
            std::ranges::any_of(candidates, [&](const Candidate& c) { return c.path == adopted; });
        if (!known)
            candidates.push_back({adopted, Source::adopted});
    }
    std::vector<Wanted> out;
    for (auto& c : candidates) {
        if (doc.forgotten.contains(c.path))
            continue;
        const auto stamp = detail::stamp_of(c.path);
        if (!stamp)
            continue;
        out.push_back({std::move(c.path), c.source, *stamp});
    }
    return out;
}

bool fresh(const RegistryDoc& doc, const Wanted& w) {
    const auto* e = doc.find(w.path);
    return e != nullptr && e->stamp == w.stamp && e->source == w.source;
}

// Queries the given files in parallel; broken ones become entries with an error.
std::vector<RegistryEntry> query_all(const std::vector<Wanted>& todo) {
    std::vector<RegistryEntry> out(todo.size());
    if (todo.empty())
        return out;
    ThreadPool pool(std::min<std::size_t>(todo.size(), 8));
    std::vector<std::future<Result<InterpreterInfo>>> results;
    for (const auto& w : todo)
        results.push_back(pool.submit([path = w.path] { return query_interpreter(path); }));
    for (std::size_t i = 0; i < todo.size(); ++i) {
        auto result = results[i].get();
        out[i].path = todo[i].path;
        out[i].source = todo[i].source;
        out[i].stamp = todo[i].stamp;
        if (result) {
            result->source = todo[i].source;
            out[i].info = std::move(*result);
            logger().debug("queried {}", out[i].info->describe());
        } else {
            out[i].error = result.error().what();
            logger().warn("skipping a broken interpreter: {}", out[i].error);
        }
    }
    return out;
}

// Best first: newest version, then a GIL build, then source preference,
// then a base interpreter before a venv, then the path.
bool ranks_before(const InterpreterInfo& a, const InterpreterInfo& b, bool want_free_threaded) {
    if (a.version != b.version)
        return a.version > b.version;
    if (a.free_threaded != b.free_threaded)
        return a.free_threaded == want_free_threaded;
    if (a.source != b.source)
        return a.source < b.source;
    if (a.is_venv != b.is_venv)
        return !a.is_venv;
    return a.path < b.path;
}

}  // namespace

Registry::Registry(Home home, DiscoveryRoots roots)
    : home_(std::move(home)), roots_(std::move(roots)) {}

void Registry::refresh() {
    stats_ = {};
    bool damaged = false;
    RegistryDoc doc = detail::load_registry(home_, damaged);
    auto wanted = wanted_entries(roots_, doc);
    const bool all_fresh =
        std::ranges::all_of(wanted, [&](const Wanted& w) { return fresh(doc, w); });
    const bool none_gone = doc.entries.size() == wanted.size();

    if (damaged || !all_fresh || !none_gone) {
        // Look, lock, look again: another process may have done the work.
        const auto lock = FileLock::acquire(home_.lock_file("registry"), LockMode::exclusive);
        doc = detail::load_registry(home_, damaged);
        if (damaged) {
            logger().warn("registry '{}' is damaged; rebuilding it (it is only a cache)",
                          home_.registry_file().string());
            stats_.rebuilt = true;
        }
        wanted = wanted_entries(roots_, doc);
        std::vector<Wanted> todo;
        for (const auto& w : wanted) {
            if (!fresh(doc, w))
                todo.push_back(w);
        }
        auto queried = query_all(todo);
        std::map<stdfs::path, RegistryEntry> by_path;
        for (const auto& e : doc.entries)
            by_path.emplace(e.path, e);
        RegistryDoc updated;
        updated.adopted = doc.adopted;
        updated.forgotten = doc.forgotten;
        std::size_t next = 0;
        for (const auto& w : wanted) {
            if (next < todo.size() && todo[next].path == w.path) {
                updated.entries.push_back(std::move(queried[next++]));
            } else {
                updated.entries.push_back(std::move(by_path.at(w.path)));
                ++stats_.reused;
            }
        }
        stats_.queried = todo.size();
        for (const auto& e : doc.entries) {
            if (updated.find(e.path) == nullptr)
                ++stats_.dropped;
        }
        detail::save_registry(home_, updated);
        stats_.written = true;
        doc = std::move(updated);
    } else {
        stats_.reused = wanted.size();
    }

    use_entries(doc);
}

bool Registry::load_cached() {
    stats_ = {};
    bool damaged = false;
    const RegistryDoc doc = detail::load_registry(home_, damaged);
    if (damaged || doc.entries.empty())
        return false;
    use_entries(doc);
    return true;
}

void Registry::use_entries(const detail::RegistryDoc& doc) {
    interpreters_.clear();
    for (const auto& e : doc.entries) {
        if (e.info) {
            interpreters_.push_back(*e.info);
        } else {
            ++stats_.broken;
            logger().debug("known broken interpreter skipped: {}", e.error);
        }
    }
    std::ranges::sort(interpreters_, [](const InterpreterInfo& a, const InterpreterInfo& b) {
        return ranks_before(a, b, false);
    });
}

InterpreterInfo Registry::adopt(const stdfs::path& file) {
    const auto key = registry_key(file);
    if (key.empty())
        throw Error(ErrorCode::not_found, fmt::format("no interpreter at '{}'", file.string()),
                    "give the path of a python executable");
    auto info = query_interpreter(key);
    if (!info)
        throw Error(ErrorCode::invalid_input,
                    fmt::format("'{}' is not a working Python interpreter: {}", file.string(),
                                info.error().what()));
    {
        const auto lock = FileLock::acquire(home_.lock_file("registry"), LockMode::exclusive);
        bool damaged = false;
        RegistryDoc doc = detail::load_registry(home_, damaged);
        doc.adopted.insert(key);
        doc.forgotten.erase(key);
        detail::save_registry(home_, doc);
    }
    refresh();
    for (const auto& i : interpreters_) {
        if (i.path == key)
            return i;
    }
    info->path = key;
    info->source = Source::adopted;
    return *info;
}

std::vector<stdfs::path> Registry::forget(std::string_view path_or_request) {
    auto request = PythonRequest::parse(path_or_request);
    if (!request)
        throw request.error();
    std::vector<stdfs::path> keys;
    if (request->is_path()) {
        auto key = registry_key(*request->path);
        if (key.empty()) {
            refresh();
            const bool known = std::ranges::any_of(
                interpreters_, [&](const InterpreterInfo& i) { return i.path == *request->path; });
            if (!known)
                throw Error(ErrorCode::not_found,
                            fmt::format("no interpreter at '{}'", request->path->string()));
        }
        keys.push_back(key.empty() ? *request->path : key);
    } else {
        refresh();
        for (const auto& i : interpreters_) {
            if (request->matches(i))
                keys.push_back(i.path);
        }
        if (keys.empty())
            throw Error(ErrorCode::not_found,
                        fmt::format("no interpreter matches '{}'; available: {}", request->text,
                                    describe_available(interpreters_)));
    }
    {
        const auto lock = FileLock::acquire(home_.lock_file("registry"), LockMode::exclusive);
        bool damaged = false;
        RegistryDoc doc = detail::load_registry(home_, damaged);
        for (const auto& key : keys) {
            doc.adopted.erase(key);
            doc.forgotten.insert(key);
            std::erase_if(doc.entries, [&](const RegistryEntry& e) { return e.path == key; });
        }
        detail::save_registry(home_, doc);
    }
    refresh();
    return keys;
}

Selection Registry::find(const PythonRequest& request, UnknownPath unknown) {
    if (request.is_path()) {
        const auto key = registry_key(*request.path);
        for (const auto& i : interpreters_) {
            if (i.path == key || i.path == *request.path)
                return {i, fmt::format("'{}' names {} directly", request.text, i.describe())};
        }
        if (unknown == UnknownPath::refuse &&
            (key.empty() || !in_known_interpreter_dir(key, interpreters_, home_)))
            throw Error(ErrorCode::invalid_input,
                        fmt::format("'{}' is not an interpreter omni knows; it was not run",
                                    request.path->string()),
                        "name a version (3.11), or register an interpreter you trust with "
                        "'omni python adopt PATH'; 'omni python list' shows the known ones");
        auto info = adopt(*request.path);
        return {info,
                fmt::format("'{}' names {} directly (adopted)", request.text, info.describe())};
    }
    if (auto selection = select_interpreter(interpreters_, request))
        return *selection;
    const std::string kind = request.free_threaded ? "free-threaded interpreter" : "interpreter";
    throw Error(ErrorCode::not_found,
                fmt::format("no {} matches '{}'; available: {}", kind, request.text,
                            describe_available(interpreters_)),
                request.free_threaded
                    ? "free-threaded builds (python3.13t) are not available here; install one, "
                      "or 'omni python adopt PATH'"
                    : "'omni python list' shows them; 'omni python adopt PATH' registers another");
}

bool in_known_interpreter_dir(const stdfs::path& key, const std::vector<InterpreterInfo>& known,
                              const Home& home) {
    if (!is_interpreter_name(key.filename().string()))
        return false;
    std::error_code ec;
    if (!stdfs::is_regular_file(key, ec))
        return false;
    const auto dir = key.parent_path();
    if (dir.filename() == "bin" && dir.parent_path().parent_path() == home.envs_dir())
        return true;
    return std::ranges::any_of(known, [&](const InterpreterInfo& i) {
        return i.path.parent_path() == dir ||
               (!i.executable.empty() && i.executable.parent_path() == dir);
    });
}

std::optional<Selection> select_interpreter(const std::vector<InterpreterInfo>& candidates,
                                            const PythonRequest& request) {
    std::vector<const InterpreterInfo*> matches;
    for (const auto& c : candidates) {
        if (request.matches(c))
            matches.push_back(&c);
    }
    if (matches.empty())
        return std::nullopt;
    std::ranges::sort(matches, [&](const InterpreterInfo* a, const InterpreterInfo* b) {
        return ranks_before(*a, *b, request.free_threaded);
    });
    const InterpreterInfo& best = *matches.front();
    std::string why = fmt::format("'{}' matches {} interpreter(s); chose {}: ", request.text,
                                  matches.size(), best.describe());
    if (matches.size() == 1) {
        why += "the only match";
    } else {
        const InterpreterInfo& next = *matches[1];
        if (next.version != best.version)
            why +=
                fmt::format("newest version ({} over {})", best.version.str(), next.version.str());
        else if (next.source != best.source)
            why += fmt::format("same version; {} is preferred over {}", to_string(best.source),
                               to_string(next.source));
        else
            why += "same version and source; first by path";
    }
    return Selection{best, std::move(why)};
}

std::string describe_available(const std::vector<InterpreterInfo>& interpreters) {
    if (interpreters.empty())
        return "none found";
    std::string out;
    for (const auto& i : interpreters) {
        if (!out.empty())
            out += ", ";
        out += fmt::format("{}{} ({})", i.version.str(), i.free_threaded ? "t" : "",
                           to_string(i.source));
    }
    return out;
}

}  // namespace omni::python
