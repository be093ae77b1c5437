// Text renderings of the report: an aligned table for a terminal, GitHub markdown, CSV.

#include "clipset/text.hpp"
#include "internal.hpp"

namespace clipset {

using namespace stats_detail;

namespace {

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

std::string stats_to_table(const StatsReport& report) { return all_tables(report, append_aligned_table); }

std::string stats_to_markdown(const StatsReport& report) { return all_tables(report, append_markdown_table); }

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
