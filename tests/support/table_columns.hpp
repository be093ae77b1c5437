#pragma once
// Checks that a table printed for a terminal lines up: the e2e tests' own measure of display
// columns, independent of the library's display_width.

#include <string>
#include <vector>

namespace clipset::test {

// Labels the alignment tests use: a precomposed accent (2 bytes, 1 column) and a wide CJK character.
inline const std::vector<std::string> kAlignmentLabels{"café", "鳥"};

// Columns `text` takes on a terminal, for the tests' labels: one per code point, two for 鳥.
std::size_t test_columns(const std::string& text);

// The tables in printed `text`: runs of two or more consecutive lines with the same number
// (two or more) of cells separated by two or more spaces, each line without `prefix`.
std::vector<std::vector<std::string>> tables_in(const std::string& text, const std::string& prefix = "");

// Whether each column of `lines` (cells separated by two or more spaces) starts at the same
// column on every line (left-aligned) or ends at the same column on every line (right-aligned).
// The lines must have the same number of cells; `why` says which line and column do not fit.
bool columns_line_up(const std::vector<std::string>& lines, std::string& why);

}  // namespace clipset::test
