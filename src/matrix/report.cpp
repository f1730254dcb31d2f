#include "omni/matrix/report.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "omni/util/ansi.hpp"

namespace omni::matrix {

namespace {

using json = nlohmann::json;

// 2: shard, matrix_cells and each cell's evidence.
constexpr int schema_version = 2;

json evidence_json(const CellEvidence& e) {
    if (!e.present())
        return nullptr;
    return {{"module", e.module},  {"version", e.version},     {"file", e.file.string()},
            {"via", e.via},        {"processes", e.processes}, {"from_bubble", e.from_bubble},
            {"matches", e.matches}};
}

CellEvidence evidence_from(const json& j) {
    CellEvidence e;
    if (!j.is_object())
        return e;
    e.module = j.value("module", "");
    e.version = j.value("version", "");
    e.file = j.value("file", "");
    e.via = j.value("via", "");
    e.processes = j.value("processes", std::size_t{0});
    e.from_bubble = j.value("from_bubble", false);
    e.matches = j.value("matches", false);
    return e;
}

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
                         {"detail", r.detail},
                         {"evidence", evidence_json(r.evidence)}});
    json doc = {{"schema_version", schema_version},
                {"package", report.package},
                {"test", report.test},
                {"wall_ms", report.wall.count()},
                {"jobs", report.jobs},
                {"shard", {{"index", report.shard.index}, {"count", report.shard.count}}},
                {"matrix_cells", report.matrix_cells},
                {"cells", cells}};
    if (!report.bisections.empty()) {
        json found = json::array();
        const auto side = [](const std::string& version, const std::string& status) {
            return version.empty() ? json(nullptr) : json{{"version", version}, {"status", status}};
        };
        for (const auto& b : report.bisections)
            found.push_back({{"python", b.python},
                             {"versions", b.versions},
                             {"cells_run", b.cells_run},
                             {"changed", !b.before.empty() && !b.after.empty()},
                             {"before", side(b.before, b.before_status)},
                             {"after", side(b.after, b.after_status)},
                             {"summary", b.summary}});
        doc["bisect"] = std::move(found);
    }
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
    const int schema = doc.value("schema_version", 0);
    if (schema != 1 && schema != schema_version)
        return bad("unknown schema version");
    try {
        MatrixReport report;
        report.package = doc.at("package").get<std::string>();
        report.test = doc.value("test", "");
        report.wall = std::chrono::milliseconds(doc.value("wall_ms", 0));
        report.jobs = doc.value("jobs", std::size_t{1});
        if (const auto shard = doc.find("shard"); shard != doc.end() && shard->is_object()) {
            report.shard.index = shard->value("index", std::size_t{1});
            report.shard.count = shard->value("count", std::size_t{1});
            if (report.shard.count == 0 || report.shard.index == 0 ||
                report.shard.index > report.shard.count)
                return bad(fmt::format("shard {}/{} is not a shard", report.shard.index,
                                       report.shard.count));
        }
        if (const auto ids = doc.find("matrix_cells"); ids != doc.end())
            report.matrix_cells = ids->get<std::vector<std::string>>();
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
            if (const auto e = c.find("evidence"); e != c.end())
                r.evidence = evidence_from(*e);
            report.results.push_back(std::move(r));
        }
        return report;
    } catch (const json::exception& e) {
        return bad(e.what());
    }
}

Result<MatrixReport> merge(const std::vector<MatrixReport>& shards) {
    const auto refuse = [](std::string message, std::string hint) {
        return std::unexpected(
            Error(ErrorCode::invalid_input, std::move(message), std::move(hint)));
    };
    const std::string one_run = "merge the reports of one run, each shard once";
    if (shards.empty())
        return refuse("no shard reports to merge", one_run);
    const auto& first = shards.front();
    MatrixReport merged;
    merged.package = first.package;
    merged.test = first.test;
    merged.matrix_cells = first.matrix_cells;
    merged.shard = {1, 1};
    std::map<std::size_t, const MatrixReport*> seen_shards;
    std::map<std::size_t, CellResult> cells;
    for (const auto& shard : shards) {
        const auto name = fmt::format("shard {}/{}", shard.shard.index, shard.shard.count);
        if (shard.package != merged.package)
            return refuse(fmt::format("shard reports are for different packages ('{}' and '{}')",
                                      merged.package, shard.package),
                          one_run);
        if (shard.matrix_cells.empty())
            return refuse(fmt::format("the report of {} for {} does not list its matrix's cells "
                                      "(written by an older omni)",
                                      name, shard.package),
                          "run the shards again with this omni");
        if (shard.shard.count != first.shard.count || shard.matrix_cells != first.matrix_cells ||
            shard.test != first.test)
            return refuse(fmt::format("{} is not of the same matrix as shard {}/{} ({})", name,
                                      first.shard.index, first.shard.count,
                                      shard.shard.count != first.shard.count ? "another shard count"
                                      : shard.test != first.test             ? "another test"
                                                                 : "another set of cells"),
                          one_run);
        if (!seen_shards.emplace(shard.shard.index, &shard).second)
            return refuse(fmt::format("{} is given twice", name), one_run);
        merged.wall = std::max(merged.wall, shard.wall);
        merged.jobs = std::max(merged.jobs, shard.jobs);
        for (const auto& r : shard.results) {
            if (r.cell.index >= merged.matrix_cells.size() ||
                merged.matrix_cells[r.cell.index] != r.cell.id())
                return refuse(fmt::format("{} reports cell {} ({}), which is not in its matrix",
                                          name, r.cell.index, r.cell.id()),
                              one_run);
            if (!cells.emplace(r.cell.index, r).second)
                return refuse(
                    fmt::format("cell {} ({}) is in two shard reports", r.cell.index, r.cell.id()),
                    one_run);
        }
    }
    std::vector<std::string> missing_shards;
    for (std::size_t i = 1; i <= first.shard.count; ++i)
        if (!seen_shards.count(i))
            missing_shards.push_back(fmt::format("{}/{}", i, first.shard.count));
    std::vector<std::string> missing_cells;
    for (std::size_t i = 0; i < merged.matrix_cells.size(); ++i)
        if (!cells.count(i))
            missing_cells.push_back(merged.matrix_cells[i]);
    if (!missing_shards.empty() || !missing_cells.empty()) {
        std::string what =
            missing_shards.empty()
                ? std::string("no shard is missing")
                : fmt::format("shard{} {} missing", missing_shards.size() == 1 ? "" : "s",
                              fmt::join(missing_shards, ", "));
        constexpr std::size_t shown = 12;
        std::vector<std::string> listed(
            missing_cells.begin(), missing_cells.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                               shown, missing_cells.size())));
        return refuse(
            fmt::format("the shard reports are incomplete: {}; {} of {} cells not reported{}{}{}",
                        what, missing_cells.size(), merged.matrix_cells.size(),
                        missing_cells.empty() ? "" : ": ", fmt::join(listed, ", "),
                        missing_cells.size() > shown ? ", ..." : ""),
            fmt::format("pass every shard's --json report ({} in all)", first.shard.count));
    }
    for (auto& [index, r] : cells)
        merged.results.push_back(std::move(r));
    return merged;
}

std::string describe(const CellEvidence& e) {
    if (!e.present())
        return "not imported";
    const std::string version = e.version.empty() ? "no version" : e.version;
    return e.from_bubble ? fmt::format("{} from the bubble", version)
                         : fmt::format("{} from {}", version, e.file.string());
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
        out += fmt::format("    <testcase classname=\"{}.py{}\" name=\"{}\" time=\"{:.3f}\">\n",
                           xml_escape(report.package), xml_escape(r.cell.python),
                           xml_escape(r.cell.id()), seconds(r.duration));
        if (r.evidence.present())
            out += fmt::format(
                "      <properties>\n"
                "        <property name=\"imported.module\" value=\"{}\"/>\n"
                "        <property name=\"imported.version\" value=\"{}\"/>\n"
                "        <property name=\"imported.file\" value=\"{}\"/>\n"
                "        <property name=\"imported.via\" value=\"{}\"/>\n"
                "        <property name=\"imported.matches\" value=\"{}\"/>\n"
                "      </properties>\n",
                xml_escape(r.evidence.module), xml_escape(r.evidence.version),
                xml_escape(r.evidence.file.string()), xml_escape(r.evidence.via),
                r.evidence.matches ? "true" : "false");
        const std::string message = xml_escape(strip_ansi(r.detail));
        switch (r.status) {
            case CellStatus::passed:
                break;
            case CellStatus::failed:
            case CellStatus::timed_out:
                out += fmt::format("      <failure message=\"{}\">log: {}</failure>\n", message,
                                   xml_escape(r.log.string()));
                break;
            case CellStatus::error:
                out += fmt::format("      <error message=\"{}\">log: {}</error>\n", message,
                                   xml_escape(r.log.string()));
                break;
            case CellStatus::skipped:
                out += fmt::format("      <skipped message=\"{}\"/>\n", message);
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
    std::string out = fmt::format("{:<8} {:<16} {:<10} {:>9}  {:<24}  {}\n", "python", "version",
                                  "status", "time", "imported", "log");
    for (const auto* r : rows) {
        const bool failed = r->status != CellStatus::passed;
        out += fmt::format(
            "{:<8} {:<16} {:<10} {:>8.2f}s  {:<24}  {}\n", r->cell.python,
            r->cell.version +
                (r->cell.resolution == "highest" ? "" : " (" + r->cell.resolution + ")"),
            to_string(r->status), seconds(r->duration), describe(r->evidence),
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
