// Report renderings shared by stats and compare: tables, the HTML page, SVG shapes.

#include "clipset/report_format.hpp"

#include <cstdio>
#include <iterator>

#include "clipset/text.hpp"

namespace clipset {

namespace {

const char* const kStyle =
    "body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}"
    "table{border-collapse:collapse;margin:0.5em 0 1em}"
    "th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f3f3f3}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "tr.flag td{background:#fff1e6}p.note{margin:0.2em 0;color:#555}"
    "section{margin-bottom:2em}"
    "div.bar{background:#eee;width:240px;height:12px;display:inline-block;vertical-align:middle}"
    "div.bar div{background:#3a7;height:12px}div.bar div.short{background:#e90}";

const char* const kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"};

std::string markdown_cell(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out.empty() ? " " : out;
}

}  // namespace

// Column widths in display columns (clipset/text.hpp), so that `café` and `鳥` line up too.
void append_aligned_table(const TextTable& t, std::string& out) {
  if (!t.title.empty()) out += terminal_safe(t.title) + "\n";
  std::vector<std::vector<std::string>> rows{t.header};
  rows.insert(rows.end(), t.rows.begin(), t.rows.end());
  for (const auto& line : aligned_columns(rows, t.numeric)) out += line + "\n";
  for (const auto& note : t.notes) out += terminal_safe(note) + "\n";
}

void append_markdown_table(const TextTable& t, std::string& out) {
  if (!t.title.empty()) out += "### " + t.title + "\n\n";
  auto line = [&](const std::vector<std::string>& cells) {
    out += "|";
    for (const auto& c : cells) out += " " + markdown_cell(c) + " |";
    out += "\n";
  };
  line(t.header);
  out += "|";
  for (const bool numeric : t.numeric) out += numeric ? " ---: |" : " --- |";
  out += "\n";
  for (const auto& row : t.rows) line(row);
  if (!t.notes.empty()) out += "\n";
  for (const auto& note : t.notes) out += "- " + markdown_cell(note) + "\n";
}

std::string html_table(const TextTable& t) {
  std::string out;
  if (!t.title.empty()) out += "<h3>" + xml_escape(t.title) + "</h3>\n";
  out += "<table><thead><tr>";
  for (const auto& h : t.header) out += "<th>" + xml_escape(h) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (const auto& row : t.rows) {
    const bool flagged = !t.header.empty() && t.header.back() == "flag" && !row.empty() && !row.back().empty();
    out += flagged ? "<tr class=\"flag\">" : "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c) {
      const bool numeric = c < t.numeric.size() && t.numeric[c];
      out += (numeric ? "<td class=\"n\">" : "<td>") + xml_escape(row[c]) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody></table>\n";
  for (const auto& note : t.notes) out += "<p class=\"note\">" + xml_escape(note) + "</p>\n";
  return out;
}

std::string fixed(std::optional<double> value, int decimals) {
  if (!value) return "-";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, *value);
  return text;
}

std::string html_page_begin(const std::string& title) {
  return html_document_start(title, kStyle) + "<h1>" + xml_escape(title) + "</h1>\n";
}

std::string html_page_end(const std::string& generator) {
  return "<p class=\"note\">" + xml_escape(generator) + "</p>\n</body>\n</html>\n";
}

std::string svg_colour(std::size_t i) {
  if (i < std::size(kPalette)) return kPalette[i];
  const int grey = 80 + static_cast<int>((i * 37) % 140);
  char text[16];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", grey, grey, grey);
  return text;
}

std::string svg_number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

std::string svg_open(double width, double height) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + svg_number(width) + "\" height=\"" + svg_number(height) +
         "\" viewBox=\"0 0 " + svg_number(width) + " " + svg_number(height) + "\" font-family=\"sans-serif\" font-size=\"12\">";
}

std::string svg_text(double x, double y, const std::string& text, const char* anchor, const std::string& extra) {
  return "<text x=\"" + svg_number(x) + "\" y=\"" + svg_number(y) + "\" text-anchor=\"" + anchor + "\"" + extra + ">" +
         xml_escape(text) + "</text>";
}

std::string svg_rect(double x, double y, double w, double h, const std::string& fill, const std::string& title) {
  return "<rect x=\"" + svg_number(x) + "\" y=\"" + svg_number(y) + "\" width=\"" + svg_number(w) + "\" height=\"" +
         svg_number(h) + "\" fill=\"" + fill + "\"><title>" + xml_escape(title) + "</title></rect>";
}

}  // namespace clipset
