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

// "" when, in each of `tables`, every line has as many cells (separated by two or more spaces)
// and each column starts at the same place on every line (left-aligned) or ends at the same
// place (right-aligned); else which table, line or column does not fit.
std::string misaligned_columns(const std::vector<std::vector<std::string>>& tables);

}  // namespace clipset::test
