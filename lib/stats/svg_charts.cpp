// Inline SVG charts: plain shapes and text, no scripts or fonts from elsewhere, so the report is
// one self-contained file that any browser shows offline.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "clipset/text.hpp"
#include "internal.hpp"

namespace clipset::stats_detail {

namespace {

// Colour-blind-safe qualitative palette (Okabe & Ito), then greys.
const char* const kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"};

std::string colour(std::size_t i) {
  if (i < std::size(kPalette)) return kPalette[i];
  const int grey = 80 + static_cast<int>((i * 37) % 140);
  char text[16];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", grey, grey, grey);
  return text;
}

std::string num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

std::string text_at(double x, double y, const std::string& text, const char* anchor = "start", const char* extra = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\"" + extra + ">" + xml_escape(text) + "</text>";
}

std::string rect(double x, double y, double w, double h, const std::string& fill, const std::string& title) {
  return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" + num(h) + "\" fill=\"" + fill +
         "\"><title>" + xml_escape(title) + "</title></rect>";
}

std::string svg_open(double width, double height) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" + num(height) + "\" viewBox=\"0 0 " +
         num(width) + " " + num(height) + "\" font-family=\"sans-serif\" font-size=\"12\">";
}

}  // namespace

std::string svg_stacked_bars(const std::map<std::string, std::map<std::string, std::size_t>>& rows,
                             const std::map<std::string, std::size_t>& items) {
  std::set<std::string> series;
  std::size_t largest = 1;
  for (const auto& [row, parts] : rows) {
    std::size_t sum = 0;
    for (const auto& [name, n] : parts) {
      series.insert(name);
      sum += n;
    }
    largest = std::max(largest, sum);
  }
  const std::vector<std::string> names(series.begin(), series.end());
  const double left = 110, bar_width = 560, bar_height = 22, gap = 8;
  const double legend_top = 10 + static_cast<double>(rows.size()) * (bar_height + gap) + 10;
  const double height = legend_top + 18 * static_cast<double>((names.size() + 3) / 4) + 10;
  std::string svg = svg_open(left + bar_width + 190, height);
  double y = 10;
  for (const auto& [row, parts] : rows) {
    svg += text_at(left - 6, y + 15, row, "end");
    double x = left;
    std::size_t sum = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto at = parts.find(names[i]);
      if (at == parts.end() || at->second == 0) continue;
      const double w = bar_width * static_cast<double>(at->second) / static_cast<double>(largest);
      svg += rect(x, y, w, bar_height, colour(i), row + " / " + names[i] + ": " + std::to_string(at->second) + " labelled items");
      x += w;
      sum += at->second;
    }
    const auto row_items = items.find(row);
    std::string total = std::to_string(sum);
    if (row_items != items.end() && row_items->second != sum) {
      total += " labels, " + std::to_string(row_items->second) + " items";
    }
    svg += text_at(x + 6, y + 15, total);
    y += bar_height + gap;
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    const double lx = left + static_cast<double>(i % 4) * 150, ly = legend_top + 18 * static_cast<double>(i / 4);
    svg += rect(lx, ly, 12, 12, colour(i), names[i]);
    svg += text_at(lx + 16, ly + 10, names[i]);
  }
  return svg + "</svg>";
}

std::string svg_columns(const std::vector<std::pair<std::string, std::size_t>>& columns, const std::string& x_title) {
  std::size_t largest = 1;
  for (const auto& c : columns) largest = std::max(largest, c.second);
  const double left = 50, top = 20, plot_height = 200, column_width = std::clamp(640.0 / std::max<std::size_t>(columns.size(), 1), 14.0, 60.0);
  const double width = left + column_width * static_cast<double>(columns.size()) + 20;
  const double svg_width = std::max(width, 300.0);  // room for the axis title under a few columns
  std::string svg = svg_open(svg_width, top + plot_height + 90);
  svg += "<line x1=\"" + num(left) + "\" y1=\"" + num(top + plot_height) + "\" x2=\"" + num(width - 10) + "\" y2=\"" +
         num(top + plot_height) + "\" stroke=\"#444\"/>";
  svg += text_at(left - 6, top + 4, std::to_string(largest), "end");
  svg += text_at(left - 6, top + plot_height, "0", "end");
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& [name, n] = columns[i];
    const double h = plot_height * static_cast<double>(n) / static_cast<double>(largest);
    const double x = left + column_width * static_cast<double>(i);
    svg += rect(x + 1, top + plot_height - h, column_width - 2, h, colour(0), name + ": " + std::to_string(n));
    const double lx = x + column_width / 2, ly = top + plot_height + 12;
    svg += text_at(lx, ly, name, "end", (" transform=\"rotate(-45 " + num(lx) + " " + num(ly) + ")\"").c_str());
  }
  svg += text_at(svg_width / 2, top + plot_height + 85, x_title, "middle");
  return svg + "</svg>";
}

std::string svg_matrix(const std::vector<std::string>& names, const std::vector<std::vector<std::optional<double>>>& values) {
  const double left = 120, top = 30, cell = 64;
  const double size = cell * static_cast<double>(names.size());
  std::string svg = svg_open(left + size + 20, top + size + 20);
  for (std::size_t i = 0; i < names.size(); ++i) {
    svg += text_at(left - 6, top + cell * (static_cast<double>(i) + 0.5) + 4, names[i], "end");
    svg += text_at(left + cell * (static_cast<double>(i) + 0.5), top - 8, names[i], "middle");
    for (std::size_t j = 0; j < names.size(); ++j) {
      const auto& v = values[i][j];
      // White at 0 (chance), blue towards 1, orange below chance.
      std::string fill = "#eeeeee";
      if (v) {
        const double t = std::clamp(std::fabs(*v), 0.0, 1.0);
        const int r = *v >= 0 ? static_cast<int>(255 - t * 255) : 255;
        const int g = *v >= 0 ? static_cast<int>(255 - t * 141) : static_cast<int>(255 - t * 96);
        const int b = *v >= 0 ? static_cast<int>(255 - t * 77) : static_cast<int>(255 - t * 255);
        char text[16];
        std::snprintf(text, sizeof text, "#%02x%02x%02x", r, g, b);
        fill = text;
      }
      const double x = left + cell * static_cast<double>(j), y = top + cell * static_cast<double>(i);
      svg += rect(x, y, cell - 2, cell - 2, fill, names[i] + " / " + names[j] + ": " + fixed(v, 3));
      svg += text_at(x + cell / 2 - 1, y + cell / 2 + 3, fixed(v, 2), "middle", v && *v > 0.6 ? " fill=\"#ffffff\"" : "");
    }
  }
  return svg + "</svg>";
}

}  // namespace clipset::stats_detail
