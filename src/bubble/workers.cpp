#include "omni/bubble/workers.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "omni/util/error.hpp"
#include "omni/util/fs.hpp"

namespace omni::bubble {

namespace {

std::filesystem::path workers_dir(const Home& home) {
    return home.root() / "workers";
}

// Field 22 of /proc/PID/stat (the start time in clock ticks), or nullopt
// when there is no such process or it has ended (a zombie). The command name
// (field 2) may hold spaces and parentheses, so fields are counted from its
// last ')'.
std::optional<std::uint64_t> start_ticks(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (close == std::string::npos)
        return std::nullopt;
    std::istringstream fields(text.substr(close + 1));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i) {
        if (i == 3 && (field == "Z" || field == "X"))
            return std::nullopt;
        if (i == 22) {
            if (field.empty() || field.size() > 19 ||
                !std::all_of(field.begin(), field.end(), ::isdigit))
                return std::nullopt;
            return std::stoull(field);
        }
    }
    return std::nullopt;
}

// A record as the loader writes it; nullopt for anything else (the file is
// data from a process of this user, checked before use).
std::optional<std::pair<WorkerRecord, std::uint64_t>> read_record(
    const std::filesystem::path& file) {
    const auto stem = file.stem().string();
    if (file.extension() != ".json" || stem.empty() || stem.size() > 9 ||
        !std::all_of(stem.begin(), stem.end(), ::isdigit))
        return std::nullopt;
    try {
        const auto j = nlohmann::json::parse(fs::read_file(file));
        WorkerRecord r;
        r.pid = j.at("pid").get<int>();
        r.owner = j.at("owner").get<int>();
        r.python = j.at("python").get<std::string>();
        r.requirements = j.at("requirements").get<std::vector<std::string>>();
        r.started = j.at("started").get<std::int64_t>();
        const auto ticks = j.at("start_ticks").get<std::uint64_t>();
        if (r.pid <= 1 || std::to_string(r.pid) != stem)
            return std::nullopt;
        return std::pair{std::move(r), ticks};
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

std::vector<WorkerRecord> list_workers(const Home& home) {
    std::vector<WorkerRecord> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(workers_dir(home), ec)) {
        const auto name = entry.path().filename().string();
        if (name.starts_with("."))
            continue;  // a record being written
        const auto record = read_record(entry.path());
        if (record && start_ticks(record->first.pid) == record->second) {
            out.push_back(record->first);
            continue;
        }
        // Stale: its process ended (or the pid is another process now).
        // Re-checked just before removing, so a record just written stays.
        if (!record || start_ticks(record->first.pid) != record->second)
            std::filesystem::remove(entry.path(), ec);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.pid < b.pid; });
    return out;
}

std::vector<WorkerRecord> stop_workers(const Home& home, const std::vector<int>& pids) {
    const auto live = list_workers(home);
    std::vector<WorkerRecord> chosen;
    for (const int pid : pids) {
        const auto it = std::find_if(live.begin(), live.end(),
                                     [&](const WorkerRecord& r) { return r.pid == pid; });
        if (it == live.end())
            throw Error(ErrorCode::not_found,
                        "no worker with pid " + std::to_string(pid) + " runs for this home",
                        "'omni workers list' shows the workers");
        chosen.push_back(*it);
    }
    if (pids.empty())
        chosen = live;
    // Each signal goes to the same process the record names (start time
    // checked), never to a pid that was reused.
    const auto signal_if_same = [](const WorkerRecord& r, std::uint64_t ticks, int sig) {
        if (start_ticks(r.pid) == ticks)
            ::kill(r.pid, sig);
    };
    std::vector<std::uint64_t> ticks;
    for (const auto& r : chosen)
        ticks.push_back(start_ticks(r.pid).value_or(0));
    for (std::size_t i = 0; i < chosen.size(); ++i)
        signal_if_same(chosen[i], ticks[i], SIGTERM);
    // A worker inside a C call may not act on SIGTERM: a moment, then SIGKILL.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    for (bool waiting = true; waiting && std::chrono::steady_clock::now() < deadline;) {
        waiting = false;
        for (std::size_t i = 0; i < chosen.size(); ++i)
            waiting = waiting || start_ticks(chosen[i].pid) == ticks[i];
        if (waiting)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::error_code ec;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        signal_if_same(chosen[i], ticks[i], SIGKILL);
        std::filesystem::remove(workers_dir(home) / (std::to_string(chosen[i].pid) + ".json"), ec);
    }
    return chosen;
}

}  // namespace omni::bubble
