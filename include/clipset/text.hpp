#pragma once
// Small text helpers shared by several modules: one implementation of each, so that every
// table, CSV file and comparison treats text the same way.

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace clipset {

// ASCII letters only, whatever the locale: the bytes of UTF-8 sequences pass through untouched.
std::string to_lower(std::string_view text);
// Without leading and trailing ASCII whitespace (space, \t, \r, \n, \v, \f).
std::string_view trim(std::string_view text);
bool is_valid_utf8(std::string_view text);
// The length in bytes of the valid UTF-8 sequence starting at text[at] (at < size), 0 where none starts.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);
// "2026-11-26T00:16:09.123456789Z" for a POSIX timespec (UTC, always nine decimals).
std::string iso8601_utc(const struct timespec& time);
// Text for XML and HTML content or attributes: & < > " ' escaped, control characters blanked.
std::string xml_escape(const std::string& text);
// The start of a self-contained HTML page (XHTML-compatible markup): doctype, head with the
// escaped title and the inline CSS `style`, and the opening <body>. Reports add content and close
// it with "</body>\n</html>\n".
std::string html_document_start(const std::string& title, std::string_view style);

// The optimal string alignment distance between two texts, byte by byte: insertions, deletions,
// substitutions and swaps of two neighbours cost 1 each ("dgo" is 1 from "dog").
std::size_t edit_distance(std::string_view a, std::string_view b);

// fnmatch(3) with FNM_PATHNAME semantics off: '*' also crosses '/'.
bool glob_match(const std::string& pattern, const std::string& text);

// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote, CR or
// LF, or begins or ends with a space or tab (many readers trim unquoted fields); else as is.
std::string csv_field(std::string_view text);

// ---------------------------------------------------------------- text on a terminal

// Columns a terminal gives UTF-8 `text`: 2 per East Asian wide or fullwidth character (CJK,
// Hangul, fullwidth forms, emoji), 0 per combining mark, zero-width or control character,
// 1 per other character and per byte that is not valid UTF-8.
std::size_t display_width(std::string_view text);
// `text` and spaces after it (pad_right) or before it (pad_left) up to `width` columns;
// unchanged when it is already that wide.
std::string pad_right(std::string_view text, std::size_t width);
std::string pad_left(std::string_view text, std::size_t width);
// `text` safe to print: control characters as \t \n \r or \xHH, C1 controls and the
// bidirectional overrides (which reorder what follows) as \uHHHH, invalid UTF-8 bytes as \xHH.
std::string terminal_safe(std::string_view text);
// Rows of cells as lines whose columns line up on a terminal: each column as wide as its widest
// cell, two spaces between columns, column c right-aligned when right_aligned[c] (left when
// absent), no trailing spaces. Cells are shown terminal_safe.
std::vector<std::string> aligned_columns(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right_aligned);

}  // namespace clipset
