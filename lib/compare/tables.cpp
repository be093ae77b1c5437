// The report as tables: per comparison, one row per field, then each field's values side by
// side; the findings after them. Shared by the text and HTML renderings.

#include <algorithm>
#include <cmath>

#include "internal.hpp"

namespace clipset::compare_detail {

namespace {

// A field with more values shows those whose share moved most; the JSON report has them all.
constexpr std::size_t kValuesShown = 30;

std::string share(double n, double total) { return total > 0 ? percent(n / total) : "-"; }

std::string test_name(const FieldComparison& f) {
  if (f.chi_square) return "chi-square";
  if (f.ks) return f.ks->exact ? "KS (exact)" : "KS (asymptotic)";
  return "-";
}

}  // namespace

TextTable summary_table(const Comparison& c) {
  TextTable t;
  t.title = c.reference + " (" + std::to_string(c.reference_items) + " items) vs " + c.other + " (" +
            std::to_string(c.other_items) + " items)";
  t.header = {"field", "kind", "JS", "test", "statistic", "dof", "p", "one side only", "flag"};
  t.numeric = {false, false, true, false, true, true, true, true, false};
  for (const auto& f : c.fields) {
    const std::optional<double> statistic =
        f.chi_square ? std::optional<double>(f.chi_square->statistic) : f.ks ? std::optional<double>(f.ks->statistic) : std::nullopt;
    const std::optional<double> p =
        f.chi_square ? std::optional<double>(f.chi_square->p_value) : f.ks ? std::optional<double>(f.ks->p_value) : std::nullopt;
    t.rows.push_back({f.field, f.numeric ? "numeric" : "categorical", f.js ? short_number(*f.js) : "-", test_name(f),
                      statistic ? short_number(*statistic) : "-", f.chi_square ? std::to_string(f.chi_square->dof) : "-",
                      p ? short_number(*p) : "-", std::to_string(f.only_reference.size() + f.only_other.size()),
                      f.over_threshold ? "over threshold" : ""});
  }
  return t;
}

TextTable values_table(const Comparison& c, const FieldComparison& f) {
  double ref_total = 0, other_total = 0;
  for (const auto& v : f.values) {
    ref_total += v.reference;
    other_total += v.other;
  }
  std::vector<ValueCounts> shown = f.values;
  if (shown.size() > kValuesShown) {
    auto moved = [&](const ValueCounts& v) {
      return std::fabs((ref_total > 0 ? v.reference / ref_total : 0) - (other_total > 0 ? v.other / other_total : 0));
    };
    std::stable_sort(shown.begin(), shown.end(), [&](const ValueCounts& a, const ValueCounts& b) { return moved(a) > moved(b); });
    shown.resize(kValuesShown);
  }
  TextTable t;
  t.title = f.field + (f.numeric ? " (numeric)" : "");
  t.header = {"value", c.reference, "share", c.other, "share"};
  t.numeric = {false, true, true, true, true};
  for (const auto& v : shown) {
    t.rows.push_back({v.value, fixed(v.reference, 0), share(v.reference, ref_total), fixed(v.other, 0), share(v.other, other_total)});
  }
  if (shown.size() < f.values.size()) {
    t.notes.push_back(std::to_string(f.values.size() - shown.size()) + " more values whose share moved less (all in the JSON report)");
  }
  if (f.numeric && f.missing_reference + f.missing_other > 0) {
    t.notes.push_back("without a value: " + std::to_string(f.missing_reference) + " in " + c.reference + ", " +
                      std::to_string(f.missing_other) + " in " + c.other);
  }
  return t;
}

}  // namespace clipset::compare_detail
