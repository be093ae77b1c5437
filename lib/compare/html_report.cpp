// The HTML report: one self-contained page (clipset/report_format.hpp), per comparison the
// findings, the field table, and per field the shares of both sides as bars next to each other.

#include <algorithm>

#include "clipset/text.hpp"
#include "internal.hpp"

namespace clipset {

using namespace compare_detail;

std::string compare_detail::svg_paired_bars(const Comparison& c, const FieldComparison& f) {
  const TextTable table = values_table(c, f);  // the values the table shows (those that moved most), in its order
  double largest = 0;
  std::vector<std::pair<double, double>> shares;
  double ref_total = 0, other_total = 0;
  for (const auto& v : f.values) {
    ref_total += v.reference;
    other_total += v.other;
  }
  for (const auto& row : table.rows) {
    const auto v = std::find_if(f.values.begin(), f.values.end(), [&](const ValueCounts& x) { return x.value == row[0]; });
    const double a = ref_total > 0 ? v->reference / ref_total : 0, b = other_total > 0 ? v->other / other_total : 0;
    shares.emplace_back(a, b);
    largest = std::max({largest, a, b});
  }
  if (largest <= 0) largest = 1;
  const double left = 160, width = 300, bar = 10, row_height = 2 * bar + 8, top = 26;
  std::string svg = svg_open(left + 2 * width + 120, top + row_height * static_cast<double>(shares.size()) + 10);
  svg += svg_rect(left, 4, 12, 12, svg_colour(0), c.reference) + svg_text(left + 16, 14, c.reference);
  svg += svg_rect(left + width, 4, 12, 12, svg_colour(1), c.other) + svg_text(left + width + 16, 14, c.other);
  for (std::size_t i = 0; i < shares.size(); ++i) {
    const double y = top + row_height * static_cast<double>(i);
    const std::string& value = table.rows[i][0];
    svg += svg_text(left - 6, y + bar + 4, value, "end");
    const double wa = width * shares[i].first / largest, wb = width * shares[i].second / largest;
    svg += svg_rect(left, y, wa, bar, svg_colour(0), c.reference + " / " + value + ": " + percent(shares[i].first));
    svg += svg_text(left + wa + 4, y + bar - 1, percent(shares[i].first));
    svg += svg_rect(left, y + bar, wb, bar, svg_colour(1), c.other + " / " + value + ": " + percent(shares[i].second));
    svg += svg_text(left + wb + 4, y + 2 * bar - 1, percent(shares[i].second));
  }
  return svg + "</svg>";
}

std::string compare_to_html(const CompareReport& report, const std::string& title) {
  std::string out = html_page_begin(title);
  for (const auto& c : report.comparisons) {
    out += "<section><h2>" + xml_escape(c.reference) + " vs " + xml_escape(c.other) + "</h2>\n<h3>Findings</h3>\n<ul>\n";
    if (c.findings.empty()) out += "<li>none: no field differs notably</li>\n";
    for (const auto& finding : c.findings) out += "<li>" + xml_escape(finding) + "</li>\n";
    out += "</ul>\n";
    TextTable summary = summary_table(c);
    summary.title.clear();  // the section heading says it
    out += html_table(summary);
    for (const auto& f : c.fields) {
      out += "<h3>" + xml_escape(f.field) + "</h3>\n" + svg_paired_bars(c, f) + "\n";
      TextTable values = values_table(c, f);
      values.title.clear();
      out += html_table(values);
    }
    out += "</section>\n";
  }
  if (report.comparisons.empty()) out += "<p>Nothing to compare: fewer than two sides with items.</p>\n";
  out += html_page_end("clipset compare " CLIPSET_VERSION);
  return out;
}

}  // namespace clipset
