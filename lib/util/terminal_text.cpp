// Text measured and made safe for a terminal: display width, padding, escaping, aligned columns.

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

#include "clipset/text.hpp"
#include "utf8.hpp"

namespace clipset {

namespace {

using Range = std::pair<char32_t, char32_t>;  // first and last code point

// East Asian Wide and Fullwidth (Unicode's EastAsianWidth.txt, grouped), and the emoji blocks
// that terminals draw two columns wide.
constexpr std::array<Range, 14> kWide{{{0x1100, 0x115f},   {0x2329, 0x232a},   {0x2e80, 0x303e},   {0x3040, 0xa4cf},
                                       {0xac00, 0xd7a3},   {0xf900, 0xfaff},   {0xfe10, 0xfe19},   {0xfe30, 0xfe6f},
                                       {0xff00, 0xff60},   {0xffe0, 0xffe6},   {0x1f300, 0x1f64f}, {0x1f900, 0x1f9ff},
                                       {0x20000, 0x2fffd}, {0x30000, 0x3fffd}}};

// Combining marks (drawn on the character before), Hangul medial and final jamo (joined to the
// syllable before) and zero-width format characters: no column of their own.
constexpr std::array<Range, 41> kZeroWidth{{
    {0x0300, 0x036f}, {0x0483, 0x0489}, {0x0591, 0x05bd}, {0x05bf, 0x05bf}, {0x05c1, 0x05c2}, {0x05c4, 0x05c5},
    {0x05c7, 0x05c7}, {0x0610, 0x061a}, {0x061c, 0x061c}, {0x064b, 0x065f}, {0x0670, 0x0670}, {0x06d6, 0x06dc},
    {0x06df, 0x06e4}, {0x06e7, 0x06e8}, {0x06ea, 0x06ed}, {0x0900, 0x0902}, {0x093a, 0x093a}, {0x093c, 0x093c},
    {0x0941, 0x0948}, {0x094d, 0x094d}, {0x0951, 0x0957}, {0x0962, 0x0963}, {0x0e31, 0x0e31}, {0x0e34, 0x0e3a},
    {0x0e47, 0x0e4e}, {0x1160, 0x11ff}, {0x1ab0, 0x1aff}, {0x1dc0, 0x1dff}, {0x200b, 0x200f}, {0x202a, 0x202e},
    {0x2060, 0x2064}, {0x2066, 0x206f}, {0x20d0, 0x20ff}, {0x302a, 0x302d}, {0x3099, 0x309a}, {0xfe00, 0xfe0f},
    {0xfe20, 0xfe2f}, {0xfeff, 0xfeff}, {0x1d167, 0x1d169}, {0xe0001, 0xe007f}, {0xe0100, 0xe01ef},
}};

template <std::size_t N>
bool in(const std::array<Range, N>& ranges, char32_t code) {
  const auto it = std::upper_bound(ranges.begin(), ranges.end(), code, [](char32_t c, const Range& r) { return c < r.first; });
  return it != ranges.begin() && code <= std::prev(it)->second;
}

bool is_control(char32_t code) { return code < 0x20 || (code >= 0x7f && code < 0xa0); }

// Bidirectional embeddings, overrides and isolates: printed raw they reorder the rest of the line.
bool is_bidi_control(char32_t code) { return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069); }

std::size_t char_width(const utf8::Char& c) {
  if (!c.valid) return 1;  // most terminals draw one replacement character
  if (is_control(c.code) || in(kZeroWidth, c.code)) return 0;
  return in(kWide, c.code) ? 2 : 1;
}

std::string hex_escape(const char* pattern, unsigned value) {
  char text[16];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t at = 0; at < text.size();) {
    const utf8::Char c = utf8::next(text, at);
    width += char_width(c);
    at += c.size;
  }
  return width;
}

std::string pad_right(std::string_view text, std::size_t width) {
  const std::size_t has = display_width(text);
  return std::string(text) + std::string(width > has ? width - has : 0, ' ');
}

std::string pad_left(std::string_view text, std::size_t width) {
  const std::size_t has = display_width(text);
  return std::string(width > has ? width - has : 0, ' ') + std::string(text);
}

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const utf8::Char c = utf8::next(text, at);
    if (!c.valid) out += hex_escape("\\x%02x", static_cast<unsigned>(c.code));
    else if (c.code == '\t') out += "\\t";
    else if (c.code == '\n') out += "\\n";
    else if (c.code == '\r') out += "\\r";
    else if (c.code < 0x20 || c.code == 0x7f) out += hex_escape("\\x%02x", static_cast<unsigned>(c.code));
    else if (is_control(c.code) || is_bidi_control(c.code)) out += hex_escape("\\u%04x", static_cast<unsigned>(c.code));
    else out.append(text.substr(at, c.size));
    at += c.size;
  }
  return out;
}

std::vector<std::string> aligned_columns(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right_aligned) {
  std::vector<std::vector<std::string>> safe;
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    auto& cells = safe.emplace_back();
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t c = 0; c < row.size(); ++c) {
      cells.push_back(terminal_safe(row[c]));
      widths[c] = std::max(widths[c], display_width(cells.back()));
    }
  }
  std::vector<std::string> lines;
  for (const auto& cells : safe) {
    std::string line;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const bool right = c < right_aligned.size() && right_aligned[c];
      line += (c ? "  " : "") + (right ? pad_left(cells[c], widths[c]) : pad_right(cells[c], widths[c]));
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace clipset
