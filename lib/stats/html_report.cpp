// The HTML report: one self-contained, well-formed page (XHTML-compatible markup, inline CSS
// and SVG, no scripts, no external fonts or images), readable offline in any browser.

#include <algorithm>

#include "clipset/text.hpp"
#include "clipset/units.hpp"
#include "internal.hpp"

namespace clipset {

using namespace stats_detail;

namespace {

const char* const kStyle =
    "body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}"
    "table{border-collapse:collapse;margin:0.5em 0 1em}"
    "th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f3f3f3}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "tr.flag td{background:#fff1e6}p.note{margin:0.2em 0;color:#555}"
    "section{margin-bottom:2em}";

std::string html_table(const TextTable& t) {
  std::string out;
  if (!t.title.empty()) out += "<h3>" + xml_escape(t.title) + "</h3>\n";
  out += "<table><thead><tr>";
  for (const auto& h : t.header) out += "<th>" + xml_escape(h) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (const auto& row : t.rows) {
    const bool flagged = t.header.back() == "flag" && !row.back().empty();
    out += flagged ? "<tr class=\"flag\">" : "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c) out += (t.numeric[c] ? "<td class=\"n\">" : "<td>") + xml_escape(row[c]) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody></table>\n";
  for (const auto& note : t.notes) out += "<p class=\"note\">" + xml_escape(note) + "</p>\n";
  return out;
}

std::string duration_label(const HistogramBin& b) {
  return b.from == 0 ? "<" + format_duration(b.to) : format_duration(b.from) + "+";
}

std::string agreement_matrix(const AgreementReport& a) {
  const auto& names = a.annotators;
  std::vector<std::vector<std::optional<double>>> values(names.size(), std::vector<std::optional<double>>(names.size()));
  auto index = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  };
  for (const auto& p : a.pairs) {
    const auto i = index(p.first), j = index(p.second);
    if (i < names.size() && j < names.size()) values[i][j] = values[j][i] = p.cohen_kappa;
  }
  for (const auto& p : a.self) {  // the diagonal: an annotator against their own later pass
    const auto i = index(p.first.substr(0, p.first.rfind(" (pass ")));
    if (i < names.size() && !values[i][i]) values[i][i] = p.cohen_kappa;
  }
  return svg_matrix(names, values);
}

}  // namespace

std::string stats_to_html(const StatsReport& report, const std::string& title) {
  const auto tables = report_tables(report);
  std::string out = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>" +
                    xml_escape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out += "<h1>" + xml_escape(title) + "</h1>\n";
  out += "<p>" + std::to_string(report.total.items) + " items, " + std::to_string(report.total.groups) + " groups, " +
         format_duration(report.total.seconds) + " of audio, " + std::to_string(report.classes.size()) + " classes.</p>\n";

  out += "<section><h2>Cells by " + xml_escape([&] {
    std::string by;
    for (const auto& f : report.by) by += (by.empty() ? "" : ", ") + f;
    return by;
  }()) + "</h2>\n" + html_table(tables[0]) + "</section>\n";
  TextTable classes = tables[1];
  classes.title.clear();  // the section heading says it
  out += "<section><h2>Classes</h2>\n" + html_table(classes);
  out += "<h3>Class balance per split (labels: an item with several labels counts once for each)</h3>\n" +
         svg_stacked_bars(report.class_by_split, report.items_by_split) + "\n</section>\n";

  std::vector<std::pair<std::string, std::size_t>> bins;
  for (const auto& b : report.durations) bins.emplace_back(duration_label(b), b.items);
  out += "<section><h2>Durations</h2>\n" + svg_columns(bins, "item duration") + "\n";
  out += "<h2>Items per group</h2>\n" + svg_columns(report.group_sizes, "items in the group (number of groups)") + "\n</section>\n";

  if (report.agreement) {
    out += "<section><h2>Annotator agreement</h2>\n";
    if (!report.agreement->annotators.empty() && !report.agreement->not_computed) {
      out += "<h3>Cohen's kappa per pair (diagonal: self-agreement, pass 1 vs a later pass)</h3>\n" +
             agreement_matrix(*report.agreement) + "\n";
    }
    for (std::size_t t = 2; t < tables.size(); ++t) out += html_table(tables[t]);
    for (const auto& p : report.agreement->pairs) {
      TextTable confusion;
      confusion.title = "confusion, frames: " + p.first + " (rows) x " + p.second + " (columns)";
      confusion.header.push_back("");
      confusion.header.insert(confusion.header.end(), p.categories.begin(), p.categories.end());
      confusion.numeric.assign(confusion.header.size(), true);
      confusion.numeric[0] = false;
      for (std::size_t i = 0; i < p.categories.size(); ++i) {
        std::vector<std::string> row{p.categories[i]};
        for (const double n : p.confusion[i]) row.push_back(fixed(n, 0));
        confusion.rows.push_back(std::move(row));
      }
      out += html_table(confusion);
    }
    out += "</section>\n";
  }
  out += "<p class=\"note\">clipset stats " CLIPSET_VERSION "</p>\n</body>\n</html>\n";
  return out;
}

}  // namespace clipset
