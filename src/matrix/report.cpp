#include "omni/matrix/report.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "omni/util/ansi.hpp"

namespace omni::matrix {

namespace {

using json = nlohmann::json;

constexpr int schema_version = 1;

std::optional<CellStatus> status_from(std::string_view text) {
    for (auto s : {CellStatus::passed, CellStatus::failed, CellStatus::error, CellStatus::timed_out,
                   CellStatus::skipped})
        if (to_string(s) == text)
            return s;
    return std::nullopt;
}

double seconds(std::chrono::milliseconds d) {
    return std::chrono::duration<double>(d).count();
}

std::string xml_escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                // XML 1.0 forbids most control characters.
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t')
                    out += '?';
                else
                    out += c;
        }
    }
    return out;
}

}  // namespace

std::string_view to_string(CellStatus status) {
    switch (status) {
        case CellStatus::passed:
            return "passed";
        case CellStatus::failed:
            return "failed";
        case CellStatus::error:
            return "error";
        case CellStatus::timed_out:
            return "timed out";
        case CellStatus::skipped:
            return "skipped";
    }
    return "error";
}

bool MatrixReport::all_passed() const {
    return std::all_of(results.begin(), results.end(),
                       [](const CellResult& r) { return r.status == CellStatus::passed; });
}

std::size_t MatrixReport::count(CellStatus status) const {
    return static_cast<std::size_t>(std::count_if(
        results.begin(), results.end(), [&](const CellResult& r) { return r.status == status; }));
}

std::string to_json(const MatrixReport& report) {
    json cells = json::array();
    for (const auto& r : report.results)
        cells.push_back({{"index", r.cell.index},
                         {"python", r.cell.python},
                         {"version", r.cell.version},
                         {"resolution", r.cell.resolution},
                         {"status", to_string(r.status)},
                         {"exit_code", r.exit_code},
                         {"duration_ms", r.duration.count()},
                         {"log", r.log.string()},
                         {"detail", r.detail}});
    const json doc = {
        {"schema_version", schema_version}, {"package", report.package}, {"test", report.test},
        {"wall_ms", report.wall.count()},   {"jobs", report.jobs},       {"cells", cells}};
    return doc.dump(2) + "\n";
}

Result<MatrixReport> report_from_json(std::string_view text, std::string_view source) {
    const auto bad = [&](const std::string& why) {
        return std::unexpected(
            Error(ErrorCode::invalid_input,
                  fmt::format("'{}' is not an omni matrix report: {}", source, why),
                  "pass the files written by 'omni matrix --json FILE'"));
    };
    const json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return bad("not JSON");
    if (doc.value("schema_version", 0) != schema_version)
        return bad("unknown schema version");
    try {
        MatrixReport report;
        report.package = doc.at("package").get<std::string>();
        report.test = doc.value("test", "");
        report.wall = std::chrono::milliseconds(doc.value("wall_ms", 0));
        report.jobs = doc.value("jobs", std::size_t{1});
        for (const auto& c : doc.at("cells")) {
            CellResult r;
            r.cell = {c.at("index").get<std::size_t>(), c.at("python").get<std::string>(),
                      c.at("version").get<std::string>(), c.value("resolution", "highest")};
            const auto status = status_from(c.at("status").get<std::string>());
            if (!status)
                return bad("unknown status '" + c.at("status").get<std::string>() + "'");
            r.status = *status;
            r.exit_code = c.value("exit_code", 0);
            r.duration = std::chrono::milliseconds(c.value("duration_ms", 0));
            r.log = c.value("log", "");
            r.detail = c.value("detail", "");
            report.results.push_back(std::move(r));
        }
        return report;
    } catch (const json::exception& e) {
        return bad(e.what());
    }
}

Result<MatrixReport> merge(const std::vector<MatrixReport>& shards) {
    MatrixReport merged;
    std::map<std::size_t, CellResult> cells;
    for (const auto& shard : shards) {
        if (merged.package.empty())
            merged.package = shard.package;
        if (shard.package != merged.package)
            return std::unexpected(
                Error(ErrorCode::invalid_input,
                      fmt::format("shard reports are for different packages ('{}' and '{}')",
                                  merged.package, shard.package)));
        if (merged.test.empty())
            merged.test = shard.test;
        merged.wall = std::max(merged.wall, shard.wall);
        merged.jobs = std::max(merged.jobs, shard.jobs);
        for (const auto& r : shard.results)
            if (!cells.emplace(r.cell.index, r).second)
                return std::unexpected(Error(
                    ErrorCode::invalid_input,
                    fmt::format("cell {} ({}) is in two shard reports", r.cell.index, r.cell.id()),
                    "merge the reports of one run, each shard once"));
    }
    for (auto& [index, r] : cells)
        merged.results.push_back(std::move(r));
    return merged;
}

std::string to_junit(const MatrixReport& report) {
    const auto failures = report.count(CellStatus::failed) + report.count(CellStatus::timed_out);
    std::string out = fmt::format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"omni matrix\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
        "time=\"{:.3f}\">\n"
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
        report.results.size(), failures, report.count(CellStatus::error), seconds(report.wall),
        xml_escape(report.package), report.results.size(), failures,
        report.count(CellStatus::error), report.count(CellStatus::skipped));
    for (const auto& r : report.results) {
        out += fmt::format("    <testcase classname=\"{}.py{}\" name=\"{}\" time=\"{:.3f}\"",
                           xml_escape(report.package), xml_escape(r.cell.python),
                           xml_escape(r.cell.id()), seconds(r.duration));
        const std::string message = xml_escape(strip_ansi(r.detail));
        switch (r.status) {
            case CellStatus::passed:
                out += "/>\n";
                continue;
            case CellStatus::failed:
            case CellStatus::timed_out:
                out += fmt::format(">\n      <failure message=\"{}\">log: {}</failure>\n", message,
                                   xml_escape(r.log.string()));
                break;
            case CellStatus::error:
                out += fmt::format(">\n      <error message=\"{}\">log: {}</error>\n", message,
                                   xml_escape(r.log.string()));
                break;
            case CellStatus::skipped:
                out += fmt::format(">\n      <skipped message=\"{}\"/>\n", message);
                break;
        }
        out += "    </testcase>\n";
    }
    out += "  </testsuite>\n</testsuites>\n";
    return out;
}

std::string to_table(const MatrixReport& report) {
    std::vector<const CellResult*> rows;
    for (const auto& r : report.results)
        rows.push_back(&r);
    std::stable_sort(rows.begin(), rows.end(), [](const CellResult* a, const CellResult* b) {
        return (a->status != CellStatus::passed) > (b->status != CellStatus::passed);
    });
    std::string out = fmt::format("{:<8} {:<16} {:<10} {:>9}  {}\n", "python", "version", "status",
                                  "time", "log");
    for (const auto* r : rows) {
        const bool failed = r->status != CellStatus::passed;
        out += fmt::format(
            "{:<8} {:<16} {:<10} {:>8.2f}s  {}\n", r->cell.python,
            r->cell.version +
                (r->cell.resolution == "highest" ? "" : " (" + r->cell.resolution + ")"),
            to_string(r->status), seconds(r->duration),
            failed ? r->log.string() + (r->detail.empty() ? "" : "  " + strip_ansi(r->detail))
                   : "");
    }
    return out;
}

std::vector<std::string> passing_range(const MatrixReport& report) {
    // Versions arrive newest first within each interpreter (cell order).
    std::map<std::string, std::pair<std::string, std::string>> range;
    std::vector<std::string> order;
    for (const auto& r : report.results) {
        if (std::find(order.begin(), order.end(), r.cell.python) == order.end())
            order.push_back(r.cell.python);
        if (r.status != CellStatus::passed)
            continue;
        auto& [newest, oldest] = range[r.cell.python];
        if (newest.empty())
            newest = r.cell.version;
        oldest = r.cell.version;
    }
    std::vector<std::string> lines;
    for (const auto& python : order) {
        const auto it = range.find(python);
        lines.push_back(it == range.end()
                            ? fmt::format("{}: no version passed", python)
                            : fmt::format("{}: newest passing {}, oldest passing {}", python,
                                          it->second.first, it->second.second));
    }
    return lines;
}

std::string emit_github(std::size_t shards) {
    json include = json::array();
    for (std::size_t i = 1; i <= shards; ++i)
        include.push_back({{"shard", fmt::format("{}/{}", i, shards)}});
    return json{{"include", include}}.dump() + "\n";
}

std::string emit_gitlab(std::size_t shards) {
    std::string out = "parallel:\n  matrix:\n    - OMNI_SHARD:\n";
    for (std::size_t i = 1; i <= shards; ++i)
        out += fmt::format("        - \"{}/{}\"\n", i, shards);
    return out;
}

}  // namespace omni::matrix
