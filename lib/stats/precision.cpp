// How much a test set can tell: the 95% Wilson half-width of an accuracy measured on the test
// items of each class, at the expected accuracy (0.5, the widest, when none is given).

#include <algorithm>
#include <cmath>

#include "clipset/error.hpp"
#include "clipset/statistics.hpp"
#include "internal.hpp"

namespace clipset {

namespace {

TestPrecision precision_of(const std::string& label, const CellFigures& f, const StatsOptions& options) {
  TestPrecision p;
  p.label = label;
  p.items = f.items;
  p.groups = f.groups;
  const double accuracy = options.accuracy.value_or(0.5);
  if (f.items > 0) p.half_width_items = wilson_half_width(f.items, accuracy);
  if (f.groups > 0) p.half_width_groups = wilson_half_width(f.groups, accuracy);
  p.over_max = !p.half_width_items || *p.half_width_items > options.max_ci;
  return p;
}

}  // namespace

std::string precision_statement(const TestPrecision& p, bool whole_manifest) {
  const std::string what = std::string(whole_manifest ? "" : "test ") + (p.items == 1 ? "clip" : "clips");
  const std::string of = p.label.empty() ? "" : " of '" + p.label + "'";
  if (!p.half_width_items) return "no " + what + of + ": its accuracy cannot be measured";
  const long points = std::lround(100.0 * *p.half_width_items);
  return "with " + std::to_string(p.items) + " " + what + of + ", accuracy is known to \u00b1" + std::to_string(points) +
         (points == 1 ? " point" : " points");
}

namespace stats_detail {

void check_precision_options(const StatsOptions& options) {
  if (options.accuracy && !(*options.accuracy >= 0 && *options.accuracy <= 1)) {
    throw_option("accuracy", "an accuracy lies between 0 and 1");
  }
  if (!(options.max_ci > 0 && options.max_ci <= 1)) throw_option("max_ci", "a half-width lies between 0 (excluded) and 1");
  if (options.test_split.empty()) throw_option("test_split", "an empty split name");
}

PrecisionReport precision_report(const StatsOptions& options, const CellFigures& overall,
                                 const std::vector<std::pair<std::string, CellFigures>>& classes, bool whole_manifest) {
  PrecisionReport r;
  r.test_split = options.test_split;
  r.whole_manifest = whole_manifest;
  r.accuracy = options.accuracy.value_or(0.5);
  r.max_ci = options.max_ci;
  r.overall = precision_of("", overall, options);
  for (const auto& [label, figures] : classes) r.classes.push_back(precision_of(label, figures, options));
  // Widest first: the classes whose accuracy is known least come first; no test items widest of all.
  std::stable_sort(r.classes.begin(), r.classes.end(), [](const TestPrecision& a, const TestPrecision& b) {
    return a.half_width_items.value_or(INFINITY) > b.half_width_items.value_or(INFINITY);
  });
  return r;
}

}  // namespace stats_detail

}  // namespace clipset
