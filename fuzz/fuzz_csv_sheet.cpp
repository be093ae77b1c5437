// The CSV reader (RFC 4180: quotes, "" escapes, embedded newlines, CRLF, BOM) and the metadata
// sheet on top of it (key and label columns, path or bare name, meta cells). The first byte
// picks the delimiter and the sheet's column options, the rest is the file.

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "clipset/error.hpp"
#include "clipset/labels.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const std::string text(clipset::fuzz::as_text(data + 1, size - 1));

  static constexpr char kDelimiters[] = {',', ';', '\t', '|'};
  {
    std::istringstream in(text);
    clipset::CsvReader reader(in, kDelimiters[selector & 3]);
    std::vector<std::string> fields;
    std::size_t last_line = 0;
    try {
      while (reader.next(fields)) {
        if (reader.record_line() < 1 || reader.record_line() < last_line) std::abort();
        last_line = reader.record_line();
      }
    } catch (const clipset::Error&) {
    }
  }

  clipset::SheetOptions options;
  if (selector & 4) options.key_column = "file";
  if (selector & 8) options.label_column = "class";
  if (selector & 16) options.group_column = "speaker";
  if (selector & 32) options.label_separator = ',';
  std::istringstream in(text);
  try {
    const clipset::Sheet sheet = clipset::parse_sheet(in, "data/sheet.csv", options);
    for (const auto& row : sheet.rows) {
      if (row.line == 0) std::abort();
      for (const auto& label : row.labels) {
        if (label.empty()) std::abort();  // empties are dropped
      }
    }
  } catch (const clipset::Error&) {
  }
  return 0;
}
