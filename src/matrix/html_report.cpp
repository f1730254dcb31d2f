#include "omni/matrix/html_report.hpp"

#include <algorithm>
#include <array>
#include <compare>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "omni/util/ansi.hpp"
#include "omni/util/fs.hpp"

namespace omni::matrix {

namespace {

constexpr std::array statuses{CellStatus::passed, CellStatus::failed, CellStatus::error,
                              CellStatus::timed_out, CellStatus::skipped};

// A status as a class name and data-status value: "timed-out".
std::string slug(CellStatus status) {
    std::string text(to_string(status));
    for (auto& c : text)
        if (c == ' ')
            c = '-';
    return text;
}

std::string_view mark(CellStatus status) {
    switch (status) {
        case CellStatus::passed:
            return "\xe2\x9c\x93";
        case CellStatus::failed:
            return "\xe2\x9c\x97";
        case CellStatus::error:
            return "!";
        case CellStatus::timed_out:
            return "\xe2\x97\xb7";
        case CellStatus::skipped:
            return "-";
    }
    return "?";
}

std::string plural(std::size_t n, std::string_view noun) {
    return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

std::string seconds(std::chrono::milliseconds d) {
    return fmt::format("{:.2f}s", std::chrono::duration<double>(d).count());
}

const char* replacement = "\xef\xbf\xbd";

// The code point of the UTF-8 sequence at `i` and its length, or a length of
// 0 when the bytes there are not valid UTF-8.
std::pair<std::uint32_t, std::size_t> decode_utf8(std::string_view text, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t c = 0, min = 0;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        length = 2, c = b0 & 0x1fu, min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        length = 3, c = b0 & 0x0fu, min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        length = 4, c = b0 & 0x07u, min = 0x10000;
    } else {
        return {0, 0};
    }
    if (i + length > text.size())
        return {0, 0};
    for (std::size_t k = 1; k < length; ++k) {
        const auto b = static_cast<unsigned char>(text[i + k]);
        if ((b & 0xc0u) != 0x80u)
            return {0, 0};
        c = (c << 6) | (b & 0x3fu);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return {0, 0};
    return {c, length};
}

bool html_forbids(std::uint32_t c) {
    // C1 controls and noncharacters are parse errors in an HTML document.
    return (c >= 0x80 && c <= 0x9f) || (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffeu) == 0xfffeu;
}

// The log of a cell, as much of it as the page should carry.
std::optional<std::string> default_read_log(const CellResult& result) {
    std::error_code ec;
    if (result.log.empty() || !std::filesystem::is_regular_file(result.log, ec))
        return std::nullopt;
    try {
        return fs::read_file(result.log);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string shorten(std::string text, std::size_t limit) {
    if (limit == 0 || text.size() <= limit)
        return text;
    const auto head = limit / 4;
    const auto tail = limit - head;
    const auto omitted = text.size() - head - tail;
    return text.substr(0, head) + fmt::format("\n[... {} bytes left out here ...]\n", omitted) +
           text.substr(text.size() - tail);
}

struct Column {
    std::string python, resolution;
    auto operator<=>(const Column& other) const = default;
};

constexpr const char* style_sheet = R"css(
:root{--passed:#1a7f37;--passed-bg:#dafbe1;--failed:#cf222e;--failed-bg:#ffebe9;
--error:#8250df;--error-bg:#fbefff;--timed-out:#9a6700;--timed-out-bg:#fff8c5;
--skipped:#57606a;--skipped-bg:#eaeef2;--line:#d0d7de}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff}
header{padding:20px 28px;border-bottom:1px solid var(--line);background:#f6f8fa}
h1{font-size:20px;margin:0 0 6px}
h1 .mono{font-size:inherit}
h2{font-size:16px;margin:28px 0 10px}
main{padding:0 28px 40px}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.summary{display:flex;flex-wrap:wrap;gap:8px;margin-top:10px}
.pill{border-radius:999px;padding:2px 10px;font-weight:600;border:1px solid transparent}
.pill.passed{color:var(--passed);background:var(--passed-bg)}
.pill.failed{color:var(--failed);background:var(--failed-bg)}
.pill.error{color:var(--error);background:var(--error-bg)}
.pill.timed-out{color:var(--timed-out);background:var(--timed-out-bg)}
.pill.skipped{color:var(--skipped);background:var(--skipped-bg)}
.filters{margin:18px 0 4px;display:flex;flex-wrap:wrap;gap:6px}
.filters button{font:inherit;padding:4px 12px;border:1px solid var(--line);border-radius:6px;background:#fff;cursor:pointer}
.filters button[aria-pressed=true]{background:#0969da;border-color:#0969da;color:#fff}
table.grid{border-collapse:collapse;margin-top:8px}
.grid th,.grid td{border:1px solid var(--line);padding:4px 10px;text-align:center;white-space:nowrap}
.grid thead th{background:#f6f8fa}
.grid th.version{text-align:left;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.grid td a{color:inherit;text-decoration:none;display:block;font-weight:600}
.grid td.passed{background:var(--passed-bg);color:var(--passed)}
.grid td.failed{background:var(--failed-bg);color:var(--failed)}
.grid td.error{background:var(--error-bg);color:var(--error)}
.grid td.timed-out{background:var(--timed-out-bg);color:var(--timed-out)}
.grid td.skipped{background:var(--skipped-bg);color:var(--skipped)}
.grid td.absent{color:#8c959f}
.grid .time{font-weight:400;font-size:12px;opacity:.85;margin-left:4px}
.cell{border:1px solid var(--line);border-left:5px solid var(--skipped);border-radius:6px;padding:10px 14px;margin:10px 0}
.cell.passed{border-left-color:var(--passed)}
.cell.failed{border-left-color:var(--failed)}
.cell.error{border-left-color:var(--error)}
.cell.timed-out{border-left-color:var(--timed-out)}
.cell h3{font-size:14px;margin:0 0 6px}
.cell dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}
.cell dt{color:#59636e}
.cell dd{margin:0;overflow-wrap:anywhere}
.cell .detail{color:var(--failed)}
details{margin-top:8px}
summary{cursor:pointer;color:#0969da}
pre{background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:10px;overflow:auto;max-height:480px;white-space:pre-wrap;overflow-wrap:anywhere}
.muted{color:#59636e}
.grid td.boundary{outline:3px solid #0969da;outline-offset:-3px}
.edge{color:#0969da;margin-left:4px}
.match{color:var(--passed);font-weight:600}
.mismatch{color:var(--failed);font-weight:600}
)css";

constexpr const char* script = R"js(
(function(){
  var buttons=document.querySelectorAll('.filters button');
  function choose(filter){
    document.body.setAttribute('data-filter',filter);
    for(var i=0;i<buttons.length;i++)
      buttons[i].setAttribute('aria-pressed',buttons[i].getAttribute('data-filter')===filter?'true':'false');
  }
  for(var i=0;i<buttons.length;i++)
    buttons[i].addEventListener('click',function(e){choose(e.currentTarget.getAttribute('data-filter'));});
})();
)js";

// The rules that hide cells of other statuses while one is chosen.
std::string filter_rules() {
    std::string out;
    for (auto status : statuses) {
        const auto s = slug(status);
        out += fmt::format(
            "body[data-filter=\"{0}\"] .cell:not(.{0}){{display:none}}\n"
            "body[data-filter=\"{0}\"] .grid td:not(.{0}){{opacity:.25}}\n",
            s);
    }
    return out;
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            switch (byte) {
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
                case '\'':
                    out += "&#39;";
                    break;
                case '\t':
                case '\n':
                    out += static_cast<char>(byte);
                    break;
                case '\r':
                    // A lone CR (progress bars) reads as a new line; CR LF as one.
                    if (i + 1 >= text.size() || text[i + 1] != '\n')
                        out += '\n';
                    break;
                default:
                    if (byte < 0x20 || byte == 0x7f)
                        out += replacement;
                    else
                        out += static_cast<char>(byte);
            }
            ++i;
            continue;
        }
        const auto [code, length] = decode_utf8(text, i);
        if (length == 0) {
            out += replacement;
            ++i;
            continue;
        }
        if (html_forbids(code))
            out += replacement;
        else
            out.append(text.substr(i, length));
        i += length;
    }
    return out;
}

std::string to_html(const MatrixReport& report, const HtmlOptions& options) {
    const auto read_log = options.read_log ? options.read_log : default_read_log;
    const auto esc = [](std::string_view text) { return html_escape(strip_ansi(text)); };

    // The grid's rows and columns in the order the cells name them.
    std::vector<std::string> versions;
    std::vector<Column> columns;
    std::set<std::string> resolutions;
    std::map<std::pair<std::string, Column>, const CellResult*> at;
    for (const auto& r : report.results) {
        if (std::find(versions.begin(), versions.end(), r.cell.version) == versions.end())
            versions.push_back(r.cell.version);
        const Column column{r.cell.python, r.cell.resolution};
        if (std::find(columns.begin(), columns.end(), column) == columns.end())
            columns.push_back(column);
        resolutions.insert(r.cell.resolution);
        at[{r.cell.version, column}] = &r;
    }
    const bool by_resolution = resolutions.size() > 1;

    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += fmt::format("<title>omni matrix: {}</title>\n", esc(report.package));
    out += fmt::format("<style>{}{}</style>\n</head>\n<body data-filter=\"all\">\n", style_sheet,
                       filter_rules());

    out += fmt::format("<header>\n<h1>omni matrix: <span class=\"mono\">{}</span></h1>\n",
                       esc(report.package));
    out += fmt::format(
        "<div class=\"muted\">{}: {} &times; {}{} &middot; test: "
        "<code>{}</code> &middot; {} wall, {} jobs</div>\n",
        plural(report.results.size(), "cell"),
        plural(columns.size() / std::max<std::size_t>(1, resolutions.size()), "interpreter"),
        plural(versions.size(), "version"),
        by_resolution ? fmt::format(" &times; {} resolutions", resolutions.size()) : "",
        esc(report.test), seconds(report.wall), report.jobs);
    out += "<div class=\"summary\">";
    for (auto status : statuses) {
        const auto n = report.count(status);
        if (n > 0 || status == CellStatus::passed || status == CellStatus::failed)
            out += fmt::format("<span class=\"pill {}\">{} {}</span>", slug(status), n,
                               to_string(status));
    }
    out += "</div>\n";
    out += "</header>\n<main>\n";

    out += "<div class=\"filters\" role=\"group\" aria-label=\"Show cells\">";
    out += fmt::format(
        "<button type=\"button\" data-filter=\"all\" aria-pressed=\"true\">all ({})</button>",
        report.results.size());
    for (auto status : statuses)
        if (report.count(status) > 0)
            out += fmt::format(
                "<button type=\"button\" data-filter=\"{}\" aria-pressed=\"false\">{} "
                "({})</button>",
                slug(status), to_string(status), report.count(status));
    out += "</div>\n";

    out += "<table class=\"grid\">\n<thead>\n<tr><th class=\"version\">version</th>";
    for (const auto& c : columns)
        out += fmt::format(
            "<th>{}{}</th>", esc(c.python),
            by_resolution ? "<br><span class=\"muted\">" + esc(c.resolution) + "</span>" : "");
    out += "</tr>\n</thead>\n<tbody>\n";
    for (const auto& version : versions) {
        out += fmt::format("<tr><th class=\"version\">{}</th>", esc(version));
        for (const auto& c : columns) {
            const auto it = at.find({version, c});
            if (it == at.end()) {
                out += "<td class=\"absent\" title=\"not in this report\">&middot;</td>";
                continue;
            }
            const auto& r = *it->second;
            const bool edge = options.boundary.contains(r.cell.index);
            out += fmt::format(
                "<td class=\"{0}{6}\" data-status=\"{0}\" title=\"{1}: {2}\"><a "
                "href=\"#cell-{3}\">{4}<span class=\"time\">{5}</span>{7}</a></td>",
                slug(r.status), esc(r.cell.id()), to_string(r.status), r.cell.index, mark(r.status),
                seconds(r.duration), edge ? " boundary" : "",
                edge ? "<span class=\"edge\">&#9664;</span>" : "");
        }
        out += "</tr>\n";
    }
    out += "</tbody>\n</table>\n";
    if (!options.boundary.empty())
        out +=
            "<p class=\"muted\"><span class=\"edge\">&#9664;</span> the result changes "
            "between these versions (bisection)</p>\n";

    const auto ranges = passing_range(report);
    if (!ranges.empty()) {
        out += "<ul class=\"muted\">";
        for (const auto& line : ranges)
            out += "<li>" + esc(line) + "</li>";
        out += "</ul>\n";
    }

    // Cells that did not pass first, as the table does.
    out += "<h2>Cells</h2>\n";
    std::vector<const CellResult*> order;
    for (const auto& r : report.results)
        if (r.status != CellStatus::passed)
            order.push_back(&r);
    for (const auto& r : report.results)
        if (r.status == CellStatus::passed)
            order.push_back(&r);
    for (const auto* r : order) {
        out += fmt::format(
            "<section class=\"cell {0}\" id=\"cell-{1}\" data-status=\"{0}\">\n<h3>{2} "
            "<span class=\"mono\">{3}</span> &middot; {4} &middot; {5}</h3>\n<dl>\n",
            slug(r->status), r->cell.index, mark(r->status), esc(r->cell.id()),
            to_string(r->status), seconds(r->duration));
        out += fmt::format("<dt>interpreter</dt><dd class=\"mono\">{}</dd>\n", esc(r->cell.python));
        out += fmt::format("<dt>version</dt><dd class=\"mono\">{} {}</dd>\n", esc(report.package),
                           esc(r->cell.version));
        if (r->evidence.present()) {
            const auto& e = r->evidence;
            out += fmt::format(
                "<dt>imported</dt><dd><span class=\"mono\">{} {}</span> from <span "
                "class=\"mono\">{}</span> <span class=\"{}\">{}</span> <span "
                "class=\"muted\">({} process{}, version read by {})</span></dd>\n",
                esc(e.module), esc(e.version), esc(e.file.string()),
                e.matches ? "match" : "mismatch",
                e.matches ? "the cell's version, from its bubble"
                          : "not the cell's version or not from its bubble",
                e.processes, e.processes == 1 ? "" : "es", esc(e.via));
        } else if (r->status == CellStatus::passed || r->status == CellStatus::failed) {
            out += "<dt>imported</dt><dd class=\"muted\">no evidence recorded</dd>\n";
        }
        if (by_resolution || r->cell.resolution != "highest")
            out += fmt::format("<dt>resolution</dt><dd>{}</dd>\n", esc(r->cell.resolution));
        if (r->status == CellStatus::failed || r->status == CellStatus::timed_out)
            out += fmt::format("<dt>exit code</dt><dd>{}</dd>\n", r->exit_code);
        if (!r->detail.empty())
            out +=
                fmt::format("<dt>detail</dt><dd class=\"mono detail\">{}</dd>\n", esc(r->detail));
        if (!r->log.empty())
            out += fmt::format("<dt>log</dt><dd class=\"mono\">{}</dd>\n", esc(r->log.string()));
        out += "</dl>\n";
        const auto log = read_log(*r);
        if (log)
            out +=
                fmt::format("<details><summary>log ({} bytes)</summary><pre>{}</pre></details>\n",
                            log->size(), esc(shorten(*log, options.log_limit)));
        else
            out += "<p class=\"muted\">the log is not on this machine</p>\n";
        out += "</section>\n";
    }
    out += fmt::format("</main>\n<script>{}</script>\n</body>\n</html>\n", script);
    return out;
}

}  // namespace omni::matrix
