// Text renderings of the report: an aligned table for a terminal, GitHub markdown, CSV.

#include <algorithm>

#include "internal.hpp"

namespace clipset {

using namespace stats_detail;

namespace {

// Display width: code points, not bytes (labels may be any UTF-8).
std::size_t width_of(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

std::string pad(const std::string& text, std::size_t width, bool right) {
  const std::string fill(width > width_of(text) ? width - width_of(text) : 0, ' ');
  return right ? fill + text : text + fill;
}

void aligned(const TextTable& t, std::string& out) {
  if (!t.title.empty()) out += t.title + "\n";
  std::vector<std::size_t> widths(t.header.size(), 0);
  for (std::size_t c = 0; c < t.header.size(); ++c) widths[c] = width_of(t.header[c]);
  for (const auto& row : t.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], width_of(row[c]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t c = 0; c < cells.size(); ++c) text += (c ? "  " : "") + pad(cells[c], widths[c], t.numeric[c]);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  };
  line(t.header);
  for (const auto& row : t.rows) line(row);
  for (const auto& note : t.notes) out += note + "\n";
}

std::string markdown_cell(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out.empty() ? " " : out;
}

void markdown(const TextTable& t, std::string& out) {
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

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Every table of the report, a blank line between them.
std::string all_tables(const StatsReport& report, void (*render)(const TextTable&, std::string&)) {
  std::string out;
  for (const auto& t : report_tables(report)) {
    if (!out.empty()) out += "\n";
    render(t, out);
  }
  return out;
}

}  // namespace

std::string stats_to_table(const StatsReport& report) { return all_tables(report, aligned); }

std::string stats_to_markdown(const StatsReport& report) { return all_tables(report, markdown); }

std::string stats_to_csv(const StatsReport& report) {
  const TextTable t = report_tables(report).front();  // the cells and the total row
  std::string out;
  for (const auto& row : [&] {
         auto rows = t.rows;
         rows.insert(rows.begin(), t.header);
         return rows;
       }()) {
    for (std::size_t c = 0; c < row.size(); ++c) out += (c ? "," : "") + csv_cell(row[c] == "-" ? "" : row[c]);
    out += "\n";
  }
  return out;
}

}  // namespace clipset
