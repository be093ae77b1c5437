// Metadata sheets: one CSV row per recording, naming it by path or file name.

#include <algorithm>
#include <array>
#include <cerrno>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clipset/error.hpp"
#include "clipset/labels.hpp"
#include "clipset/text.hpp"
#include "facts.hpp"

namespace clipset {

namespace {

constexpr std::array<std::string_view, 7> key_names = {"path",  "file",  "filename",  "file_name",
                                                       "fname", "audio", "audio_path"};
constexpr std::size_t none = static_cast<std::size_t>(-1);

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "'" : ", '") + name + "'";
  return out.empty() ? "none" : out;
}

// Header names as written (trimmed) and lowercased for matching.
struct Header {
  std::vector<std::string> names;
  std::vector<std::string> lowered;

  std::size_t find(std::string_view name) const {
    const auto it = std::find(lowered.begin(), lowered.end(), to_lower(trim(name)));
    return it == lowered.end() ? none : static_cast<std::size_t>(it - lowered.begin());
  }
};

// The CSV reader names only the line; the sheet's problems name the file too.
bool next_record(CsvReader& reader, std::vector<std::string>& cells, const std::string& file) {
  try {
    return reader.next(cells);
  } catch (const Error& error) {
    throw_data(file + ":" + std::to_string(reader.record_line()), error.reason());
  }
}

Header read_header(CsvReader& reader, const std::string& file) {
  std::vector<std::string> cells;
  if (!next_record(reader, cells, file)) throw_data(file, "no header row (the sheet is empty)");
  Header header;
  for (const auto& cell : cells) {
    header.names.emplace_back(trim(cell));
    header.lowered.push_back(to_lower(header.names.back()));
  }
  for (std::size_t i = 0; i < header.lowered.size(); ++i) {
    // Unnamed columns (a trailing delimiter in an export) are ignored, so they may repeat.
    if (header.lowered[i].empty()) continue;
    for (std::size_t j = 0; j < i; ++j) {
      if (header.lowered[j] == header.lowered[i]) throw_data(file, "column '" + header.names[i] + "' appears twice");
    }
  }
  return header;
}

std::size_t find_key_column(const Header& header, const SheetOptions& options, const std::string& file) {
  if (!options.key_column.empty()) {
    const std::size_t at = header.find(options.key_column);
    if (at == none) {
      throw_data(file, "no file column '" + options.key_column + "' (found: " + quoted_list(header.names) + ")");
    }
    return at;
  }
  for (std::size_t i = 0; i < header.lowered.size(); ++i) {
    if (std::find(key_names.begin(), key_names.end(), header.lowered[i]) != key_names.end()) return i;
  }
  std::string expected;
  for (const auto name : key_names) expected += (expected.empty() ? "" : ", ") + std::string(name);
  throw_data(file, "no file column (expected one of: " + expected + "; found: " + quoted_list(header.names) + ")");
}

std::size_t find_label_column(const Header& header, const SheetOptions& options, const std::string& file) {
  if (!options.label_column.empty()) {
    const std::size_t at = header.find(options.label_column);
    if (at == none) {
      throw_data(file, "no label column '" + options.label_column + "' (found: " + quoted_list(header.names) + ")");
    }
    return at;
  }
  for (std::size_t i = 0; i < header.lowered.size(); ++i) {
    if (header.lowered[i] == "labels" || header.lowered[i] == "label") return i;
  }
  return none;
}

std::vector<std::string> split_labels(std::string_view cell, char separator) {
  std::vector<std::string> labels;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t end = std::min(cell.find(separator, begin), cell.size());
    std::string label(trim(cell.substr(begin, end - begin)));
    if (!label.empty() && std::find(labels.begin(), labels.end(), label) == labels.end()) {
      labels.push_back(std::move(label));
    }
    if (end == cell.size()) return labels;
    begin = end + 1;
  }
}

// Which column plays which part; `none` when the sheet has no such column.
struct Columns {
  std::size_t key = none;
  std::size_t label = none;
  std::size_t group = none;
};

// The annotation columns of a row (salience, difficulty, annotated_at, notes): a bad cell is
// named and ignored, the row kept.
void read_annotation_cells(const std::vector<std::string>& cells, const Header& header, SheetRow& row,
                           std::vector<LineProblem>& notices) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].empty() || !labels_detail::is_annotation_column(header.lowered[i])) continue;
    if (auto problem = labels_detail::set_annotation_cell(header.lowered[i], cells[i], row.annotation)) {
      notices.push_back({row.line, std::move(*problem)});
    }
  }
}

// Fills row from the cells of one data row; the reason when the row must be skipped.
std::optional<std::string> make_row(std::vector<std::string>& cells, const Header& header, const Columns& columns,
                                    char separator, SheetRow& row) {
  // Spreadsheet exports often end rows with empty cells (trailing commas): harmless.
  while (cells.size() > header.names.size() && trim(cells.back()).empty()) cells.pop_back();
  if (cells.size() > header.names.size()) {
    return "row has " + std::to_string(cells.size()) + " cells, the header has " +
           std::to_string(header.names.size());
  }
  cells.resize(header.names.size());
  for (auto& cell : cells) cell = std::string(trim(cell));

  // Sheets written on Windows use backslashes.
  std::string key = cells[columns.key];
  std::replace(key.begin(), key.end(), '\\', '/');
  // Decided before "./" is dropped: "./a.wav" names the file next to the sheet.
  row.key_is_path = key.find('/') != std::string::npos;
  while (key.starts_with("./")) key.erase(0, 2);
  if (key.empty()) return "empty file column";
  row.key = std::move(key);

  if (columns.label != none) row.labels = split_labels(cells[columns.label], separator);
  if (columns.group != none && !cells[columns.group].empty()) row.group = cells[columns.group];
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i == columns.key || i == columns.label || i == columns.group) continue;
    if (header.names[i].empty() || cells[i].empty()) continue;
    row.meta[header.names[i]] = cells[i];
  }
  return std::nullopt;
}

bool all_blank(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(), [](const std::string& cell) { return trim(cell).empty(); });
}

}  // namespace

Sheet parse_sheet(std::istream& in, const std::filesystem::path& file_name, const SheetOptions& options) {
  const std::string file = file_name.string();
  CsvReader reader(in);
  const Header header = read_header(reader, file);
  Columns columns;
  columns.key = find_key_column(header, options, file);
  columns.label = find_label_column(header, options, file);
  if (!options.group_column.empty()) columns.group = header.find(options.group_column);
  if (columns.label == columns.key) columns.label = none;
  if (columns.group == columns.key || columns.group == columns.label) columns.group = none;

  Sheet sheet;
  sheet.file = file_name;
  std::vector<std::string> cells;
  while (next_record(reader, cells, file)) {
    // Spreadsheets export blank rows as ",,,": nothing to say about them.
    if (all_blank(cells)) continue;
    SheetRow row;
    row.line = reader.record_line();
    if (auto problem = make_row(cells, header, columns, options.label_separator, row)) {
      sheet.problems.push_back({row.line, std::move(*problem)});
    } else {
      read_annotation_cells(cells, header, row, sheet.notices);
      sheet.rows.push_back(std::move(row));
    }
  }
  return sheet;
}

Sheet read_sheet(const std::filesystem::path& file, const SheetOptions& options) {
  // "-" is standard input, as for manifests; its relative paths are then relative to the
  // current folder.
  if (file == "-") return parse_sheet(std::cin, "(stdin)", options);
  // A folder opens fine and then reads as empty; say what it is.
  std::error_code ignored;
  if (std::filesystem::is_directory(file, ignored)) throw_io(file.string(), errno_reason(EISDIR));
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw_io(file.string(), errno_reason(errno != 0 ? errno : EIO));
  return parse_sheet(in, file, options);
}

}  // namespace clipset
