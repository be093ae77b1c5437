// Text renderings of the report: an aligned table for a terminal, GitHub markdown, CSV.

#include "clipset/text.hpp"
#include "internal.hpp"

namespace clipset {

using namespace stats_detail;

namespace {

// Column widths in display columns (clipset/text.hpp), so that `café` and `鳥` line up too.
void aligned(const TextTable& t, std::string& out) {
  if (!t.title.empty()) out += terminal_safe(t.title) + "\n";
  std::vector<std::vector<std::string>> rows{t.header};
  rows.insert(rows.end(), t.rows.begin(), t.rows.end());
  for (const auto& line : aligned_columns(rows, t.numeric)) out += line + "\n";
  for (const auto& note : t.notes) out += terminal_safe(note) + "\n";
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
    for (std::size_t c = 0; c < row.size(); ++c) out += (c ? "," : "") + csv_field(row[c] == "-" ? "" : row[c]);
    out += "\n";
  }
  return out;
}

}  // namespace clipset
