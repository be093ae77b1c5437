#include "support/table_columns.hpp"

#include <algorithm>

namespace clipset::test {

namespace {

struct Cell {
  std::size_t start = 0;  // in display columns
  std::size_t end = 0;
};

std::vector<Cell> cells_of(const std::string& line) {
  std::vector<Cell> cells;
  std::size_t at = 0;
  while (at < line.size()) {
    const std::size_t begin = line.find_first_not_of(' ', at);
    if (begin == std::string::npos) break;
    std::size_t stop = line.find("  ", begin);
    if (stop == std::string::npos) stop = line.size();
    const std::size_t start = test_columns(line.substr(0, begin));
    cells.push_back({start, start + test_columns(line.substr(begin, stop - begin))});
    at = stop;
  }
  return cells;
}

}  // namespace

std::size_t test_columns(const std::string& text) {
  std::size_t columns = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    if ((static_cast<unsigned char>(text[at]) & 0xc0) != 0x80) ++columns;  // the first byte of a code point
    if (text.compare(at, 3, "鳥") == 0) ++columns;
  }
  return columns;
}

std::vector<std::vector<std::string>> tables_in(const std::string& text, const std::string& prefix) {
  std::vector<std::vector<std::string>> tables;
  std::vector<std::string> run;
  std::size_t run_cells = 0;
  auto close_run = [&] {
    if (run.size() >= 2) tables.push_back(run);
    run.clear();
  };
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (!prefix.empty() && line.rfind(prefix, 0) == 0) line.erase(0, prefix.size());
    const std::size_t cells = cells_of(line).size();
    if (cells < 2 || cells != run_cells) close_run();
    run_cells = cells;
    if (cells >= 2) run.push_back(line);
  }
  close_run();
  return tables;
}

std::string misaligned_columns(const std::vector<std::vector<std::string>>& tables) {
  for (std::size_t t = 0; t < tables.size(); ++t) {
    std::vector<std::vector<Cell>> rows;
    for (const auto& line : tables[t]) rows.push_back(cells_of(line));
    const std::string table = "table " + std::to_string(t) + ": ";
    for (std::size_t l = 1; l < rows.size(); ++l) {
      if (rows[l].size() != rows[0].size()) return table + "line " + std::to_string(l) + " has another number of cells";
    }
    for (std::size_t c = 0; !rows.empty() && c < rows[0].size(); ++c) {
      bool same_start = true, same_end = true;
      for (const auto& row : rows) {
        same_start = same_start && row[c].start == rows[0][c].start;
        same_end = same_end && row[c].end == rows[0][c].end;
      }
      if (!same_start && !same_end) return table + "column " + std::to_string(c) + " neither starts nor ends at one place";
    }
  }
  return "";
}

}  // namespace clipset::test
