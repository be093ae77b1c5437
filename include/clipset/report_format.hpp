#pragma once
// Renderings shared by the reports of several subcommands (stats, compare): tables as aligned
// text, GitHub markdown and HTML; the self-contained HTML page (inline CSS and SVG, no scripts,
// nothing fetched, readable offline); the SVG shapes the charts are drawn with. Every text that
// reaches HTML or SVG is XML-escaped (xml_escape, clipset/text.hpp).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace clipset {

// A table of text cells.
struct TextTable {
  std::string title;                         // "" for none
  std::vector<std::string> header;
  std::vector<bool> numeric;                 // per column: right-aligned
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> notes;            // lines after the table
};

// Aligned for a terminal (display widths, cells terminal_safe), appended to `out`.
void append_aligned_table(const TextTable& table, std::string& out);
// A GitHub markdown table, appended to `out`.
void append_markdown_table(const TextTable& table, std::string& out);
// An HTML table; a row is highlighted when the last column is named "flag" and the row's cell
// there is not empty.
std::string html_table(const TextTable& table);

// A number for people: fixed decimals; "-" for nullopt.
std::string fixed(std::optional<double> value, int decimals);

// The page around a report's body: doctype, title, the shared style sheet; and its end, with a
// note naming what wrote it ("clipset stats 1.2.0").
std::string html_page_begin(const std::string& title);
std::string html_page_end(const std::string& generator);

// SVG shapes. Colours from a colour-blind-safe palette (Okabe & Ito), then greys.
std::string svg_colour(std::size_t index);
std::string svg_number(double value);  // one decimal, for coordinates
std::string svg_open(double width, double height);
std::string svg_text(double x, double y, const std::string& text, const char* anchor = "start", const std::string& extra = "");
// A rectangle whose tooltip is `title`.
std::string svg_rect(double x, double y, double width, double height, const std::string& fill, const std::string& title);

}  // namespace clipset
