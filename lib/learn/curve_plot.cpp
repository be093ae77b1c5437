// The learning curve as a standalone SVG: measured means with +-1 sd error bars on a log size
// axis, the fitted law (solid where measured, dashed where extrapolated), the target, the
// annotator ceiling and the majority baseline.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "clipset/learning_curve.hpp"
#include "clipset/text.hpp"

namespace clipset {

namespace {

constexpr double kWidth = 760, kHeight = 460;
constexpr double kLeft = 72, kRight = 200, kTop = 48, kBottom = 64;  // plot margins; legend on the right
constexpr double kExtrapolateMax = 1000;  // never draw beyond 1000x the largest measured size

std::string num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

std::string size_label(double n) {
  char text[32];
  if (n >= 1e6) std::snprintf(text, sizeof text, "%gM", n / 1e6);
  else if (n >= 1e4) std::snprintf(text, sizeof text, "%gk", n / 1e3);
  else std::snprintf(text, sizeof text, "%g", n);
  return text;
}

struct Axes {
  double x_low, x_high, y_low, y_high;
  double x(double n) const {
    return kLeft + (std::log10(n) - std::log10(x_low)) / (std::log10(x_high) - std::log10(x_low)) * (kWidth - kLeft - kRight);
  }
  double y(double score) const { return kTop + (y_high - score) / (y_high - y_low) * (kHeight - kTop - kBottom); }
};

Axes choose_axes(const LearningCurveResult& r) {
  double low = r.sizes.front().size, high = r.sizes.back().size;
  double y_min = 1;
  for (const CurveSize& s : r.sizes) y_min = std::min({y_min, s.mean - s.sd, s.majority});
  for (const CurveSize& s : r.augmented_sizes) y_min = std::min(y_min, s.mean - s.sd);
  if (r.target && r.target->total && *r.target->total <= high * kExtrapolateMax) high = std::max(high, *r.target->total);
  if (r.target) y_min = std::min(y_min, r.target->target);
  if (r.ceiling) y_min = std::min(y_min, r.ceiling->agreement);
  Axes a{low / 1.5, high * 2.0, std::max(0.0, std::floor(y_min * 10 - 0.5) / 10), 1.0};
  if (a.x_high / a.x_low < 10) a.x_high = a.x_low * 10;
  return a;
}

// The law as a polyline between two sizes, sampled evenly on the log axis.
std::string law_path(const Axes& a, const PowerLaw& law, double from, double to) {
  std::ostringstream d;
  constexpr int kSteps = 80;
  for (int i = 0; i <= kSteps; ++i) {
    const double n = from * std::pow(to / from, double(i) / kSteps);
    const double score = std::clamp(1.0 - law.at(n), a.y_low, a.y_high);
    d << (i ? " L" : "M") << num(a.x(n)) << "," << num(a.y(score));
  }
  return d.str();
}

void draw_axes(std::ostringstream& s, const Axes& a, const std::string& metric) {
  const double bottom = kHeight - kBottom, right = kWidth - kRight;
  for (double t = std::ceil(a.y_low * 10 - 1e-9) / 10; t <= a.y_high + 1e-9; t += 0.1) {
    s << "<line x1='" << num(kLeft) << "' y1='" << num(a.y(t)) << "' x2='" << num(right) << "' y2='" << num(a.y(t))
      << "' stroke='#e6e6e6'/>\n";
    s << "<text x='" << num(kLeft - 8) << "' y='" << num(a.y(t) + 4) << "' text-anchor='end'>" << num(t) << "</text>\n";
  }
  for (double decade = std::pow(10.0, std::floor(std::log10(a.x_low))); decade <= a.x_high; decade *= 10) {
    for (const double m : {1.0, 2.0, 5.0}) {
      const double n = decade * m;
      if (n < a.x_low || n > a.x_high) continue;
      s << "<line x1='" << num(a.x(n)) << "' y1='" << num(kTop) << "' x2='" << num(a.x(n)) << "' y2='" << num(bottom)
        << "' stroke='#e6e6e6'/>\n";
      s << "<text x='" << num(a.x(n)) << "' y='" << num(bottom + 18) << "' text-anchor='middle'>" << size_label(n) << "</text>\n";
    }
  }
  s << "<rect x='" << num(kLeft) << "' y='" << num(kTop) << "' width='" << num(right - kLeft) << "' height='" << num(bottom - kTop)
    << "' fill='none' stroke='#444'/>\n";
  s << "<text x='" << num((kLeft + right) / 2) << "' y='" << num(kHeight - 18)
    << "' text-anchor='middle'>training clips (log scale)</text>\n";
  s << "<text transform='translate(18," << num((kTop + bottom) / 2) << ") rotate(-90)' text-anchor='middle'>" << xml_escape(metric)
    << "</text>\n";
}

void legend_entry(std::ostringstream& s, int row, const std::string& style, const std::string& text) {
  const double x = kWidth - kRight + 16, y = kTop + 14 + row * 20;
  s << "<line x1='" << num(x) << "' y1='" << num(y - 4) << "' x2='" << num(x + 24) << "' y2='" << num(y - 4) << "' " << style << "/>\n";
  s << "<text x='" << num(x + 30) << "' y='" << num(y) << "'>" << xml_escape(text) << "</text>\n";
}

}  // namespace

std::string curve_svg(const LearningCurveResult& r) {
  std::ostringstream s;
  const std::string metric = metric_name(r.metric);
  s << "<svg xmlns='http://www.w3.org/2000/svg' width='" << num(kWidth) << "' height='" << num(kHeight) << "' viewBox='0 0 "
    << num(kWidth) << " " << num(kHeight) << "' font-family='sans-serif' font-size='12'>\n";
  s << "<rect width='100%' height='100%' fill='white'/>\n";
  s << "<text x='" << num(kLeft) << "' y='24' font-size='15' font-weight='bold'>Learning curve: " << xml_escape(metric) << " on '"
    << xml_escape(r.eval_split) << "' (" << r.eval_items << " clips) by training size</text>\n";
  if (r.sizes.empty()) {
    s << "<text x='" << num(kLeft) << "' y='80'>no sizes measured</text>\n</svg>\n";
    return s.str();
  }
  const Axes a = choose_axes(r);
  draw_axes(s, a, metric);
  const double right = kWidth - kRight;
  int row = 0;

  // The majority baseline per size.
  std::ostringstream base;
  for (std::size_t i = 0; i < r.sizes.size(); ++i) {
    base << (i ? " L" : "M") << num(a.x(double(r.sizes[i].size))) << "," << num(a.y(r.sizes[i].majority));
  }
  const std::string base_style = "stroke='#999' stroke-width='1.5' stroke-dasharray='2,3' fill='none'";
  s << "<path d='" << base.str() << "' " << base_style << "/>\n";
  legend_entry(s, row++, base_style, "majority class");

  if (r.fit.ok) {
    const double first = double(r.sizes.front().size), last = double(r.sizes.back().size);
    const std::string fit_style = "stroke='#1f77b4' stroke-width='2' fill='none'";
    s << "<path d='" << law_path(a, r.fit.law, first, last) << "' " << fit_style << "/>\n";
    legend_entry(s, row++, fit_style, "fitted law");
    if (a.x_high > last) {
      const std::string extra_style = "stroke='#1f77b4' stroke-width='2' stroke-dasharray='6,4' fill='none'";
      s << "<path d='" << law_path(a, r.fit.law, last, a.x_high) << "' " << extra_style << "/>\n";
      legend_entry(s, row++, extra_style, "extrapolated");
    }
  }
  if (r.target) {
    const std::string target_style = "stroke='#d62728' stroke-width='1.5' stroke-dasharray='8,4'";
    s << "<line x1='" << num(kLeft) << "' y1='" << num(a.y(r.target->target)) << "' x2='" << num(right) << "' y2='"
      << num(a.y(r.target->target)) << "' " << target_style << "/>\n";
    char label[64];
    std::snprintf(label, sizeof label, "target %.3g", r.target->target);
    legend_entry(s, row++, target_style, label);
    if (r.target->total && *r.target->total <= a.x_high) {
      const double x = a.x(*r.target->total);
      s << "<line x1='" << num(x) << "' y1='" << num(a.y(r.target->target)) << "' x2='" << num(x) << "' y2='"
        << num(kHeight - kBottom) << "' stroke='#d62728' stroke-dasharray='2,3'/>\n";
      std::snprintf(label, sizeof label, "%.0f clips", std::ceil(*r.target->total));
      s << "<text x='" << num(x + 4) << "' y='" << num(a.y(r.target->target) + 16) << "' fill='#d62728'>" << label << "</text>\n";
    }
  }
  if (r.ceiling) {
    const std::string ceiling_style = "stroke='#2ca02c' stroke-width='1.5' stroke-dasharray='3,3'";
    s << "<line x1='" << num(kLeft) << "' y1='" << num(a.y(r.ceiling->agreement)) << "' x2='" << num(right) << "' y2='"
      << num(a.y(r.ceiling->agreement)) << "' " << ceiling_style << "/>\n";
    char label[64];
    std::snprintf(label, sizeof label, "annotators agree %.3g", r.ceiling->agreement);
    legend_entry(s, row++, ceiling_style, label);
  }
  // The curve with augmented copies, when drawn: its means joined, points in another colour.
  if (!r.augmented_sizes.empty()) {
    std::ostringstream line;
    for (std::size_t i = 0; i < r.augmented_sizes.size(); ++i) {
      line << (i ? " L" : "M") << num(a.x(double(r.augmented_sizes[i].size))) << "," << num(a.y(r.augmented_sizes[i].mean));
    }
    const std::string augmented_style = "stroke='#ff7f0e' stroke-width='2' fill='none'";
    s << "<path d='" << line.str() << "' " << augmented_style << "/>\n";
    for (const CurveSize& p : r.augmented_sizes) {
      char tip[112];
      std::snprintf(tip, sizeof tip, "%zu clips with their copies: %.3f +- %.3f over %zu repeats", p.size, p.mean, p.sd, p.repeats);
      s << "<rect x='" << num(a.x(double(p.size)) - 4) << "' y='" << num(a.y(p.mean) - 4)
        << "' width='8' height='8' fill='#ff7f0e' stroke='#333'><title>" << tip << "</title></rect>\n";
    }
    legend_entry(s, row++, augmented_style, "with copies (" + std::to_string(r.augmented_copies) + ")");
  }
  // Points last, on top: mean +- sd.
  for (const CurveSize& p : r.sizes) {
    const double x = a.x(double(p.size));
    const double high = std::min(p.mean + p.sd, a.y_high), low = std::max(p.mean - p.sd, a.y_low);
    s << "<line x1='" << num(x) << "' y1='" << num(a.y(high)) << "' x2='" << num(x) << "' y2='" << num(a.y(low))
      << "' stroke='#333'/>\n";
    char tip[96];
    std::snprintf(tip, sizeof tip, "%zu clips: %.3f +- %.3f over %zu repeats", p.size, p.mean, p.sd, p.repeats);
    s << "<circle cx='" << num(x) << "' cy='" << num(a.y(p.mean)) << "' r='4' fill='#1f77b4' stroke='#333'><title>" << tip
      << "</title></circle>\n";
  }
  legend_entry(s, row++, "stroke='#333'", "measured, ±1 sd");
  s << "</svg>\n";
  return s.str();
}

}  // namespace clipset
