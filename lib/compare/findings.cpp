// Findings in words: what a person should look at first, from the figures of a comparison.

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "internal.hpp"

namespace clipset::compare_detail {

namespace {

// A value one side never has is worth a sentence when it is at least this share of the other.
constexpr double kNotableShare = 0.01;
constexpr std::size_t kValuesPerField = 3;
// Below this p-value a test's difference is called significant.
constexpr double kSignificance = 0.01;

double total(const std::vector<ValueCounts>& values, double ValueCounts::*side) {
  double sum = 0;
  for (const auto& v : values) sum += v.*side;
  return sum;
}

// "train holds no items with meta.device 'X', which is 30.0% of test", largest shares first.
void one_sided(const Comparison& c, const FieldComparison& f, std::vector<std::string>& out) {
  const double ref_total = total(f.values, &ValueCounts::reference), other_total = total(f.values, &ValueCounts::other);
  std::vector<std::pair<double, std::string>> missing_in_other, new_in_other;
  for (const auto& v : f.values) {
    if (v.other == 0 && ref_total > 0 && v.reference / ref_total >= kNotableShare) {
      missing_in_other.emplace_back(v.reference / ref_total, v.value);
    }
    if (v.reference == 0 && other_total > 0 && v.other / other_total >= kNotableShare) {
      new_in_other.emplace_back(v.other / other_total, v.value);
    }
  }
  auto largest_first = [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); };
  std::sort(missing_in_other.begin(), missing_in_other.end(), largest_first);
  std::sort(new_in_other.begin(), new_in_other.end(), largest_first);
  for (std::size_t i = 0; i < std::min(kValuesPerField, missing_in_other.size()); ++i) {
    out.push_back(c.other + " holds no items with " + f.field + " '" + missing_in_other[i].second + "', which is " +
                  percent(missing_in_other[i].first) + " of " + c.reference);
  }
  for (std::size_t i = 0; i < std::min(kValuesPerField, new_in_other.size()); ++i) {
    out.push_back(c.other + " has " + f.field + " '" + new_in_other[i].second + "' (" + percent(new_in_other[i].first) +
                  " of it), never seen in " + c.reference);
  }
}

std::string test_words(const FieldComparison& f) {
  if (f.chi_square) {
    return "chi-square " + short_number(f.chi_square->statistic) + ", " + std::to_string(f.chi_square->dof) + " dof, p " +
           short_number(f.chi_square->p_value);
  }
  if (f.ks) return "KS D " + short_number(f.ks->statistic) + ", p " + short_number(f.ks->p_value);
  return "";
}

bool significant(const FieldComparison& f) {
  return (f.chi_square && f.chi_square->p_value < kSignificance) || (f.ks && f.ks->p_value < kSignificance);
}

std::string medians(const Comparison& c, const FieldComparison& f) {
  if (!f.median_reference || !f.median_other) return "";
  return "median " + rounded_text(*f.median_reference) + " in " + c.reference + ", " + rounded_text(*f.median_other) + " in " +
         c.other + "; ";
}

// "test: 40 of 100 items (40.0%) were chosen by a model (meta.selected_by 'model'): ...": the side
// an accuracy is measured on, when a model picked any of it.
void model_selected(const Comparison& c, std::vector<std::string>& out) {
  const auto it = c.selected_by_other.find("model");
  if (it == c.selected_by_other.end() || c.other_items == 0) return;
  const double share = static_cast<double>(it->second) / static_cast<double>(c.other_items);
  out.push_back(c.other + ": " + std::to_string(it->second) + " of " + std::to_string(c.other_items) + " items (" + percent(share) +
                ") were chosen by a model (" + kSelectedByField + " 'model'): an accuracy measured on them shows that " +
                "model's blind spots, not the accuracy users will see");
}

}  // namespace

std::string short_number(double value) {
  char text[32];
  if (value != 0 && std::fabs(value) < 1e-4) std::snprintf(text, sizeof text, "%.2g", value);
  else std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

std::string percent(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", 100.0 * share);
  return text;
}

std::vector<std::string> findings_of(const Comparison& c, const std::optional<double>& threshold) {
  std::vector<std::string> over, sided, tests;
  for (const auto& f : c.fields) {
    if (f.missing_other == c.other_items && c.other_items > 0 && f.missing_reference < c.reference_items) {
      sided.push_back(c.other + " has no item with " + f.field + " (" + c.reference + " has " +
                      std::to_string(c.reference_items - f.missing_reference) + ")");
    }
    if (f.over_threshold && threshold) {
      over.push_back(c.other + " differs from " + c.reference + " in " + f.field + ": JS " + short_number(*f.js) +
                     " over the threshold " + short_number(*threshold) + " (" + medians(c, f) + test_words(f) + ")");
    } else if (significant(f)) {
      tests.push_back(c.other + " and " + c.reference + " differ in " + f.field + " (" + medians(c, f) + test_words(f) +
                      ", JS " + short_number(f.js.value_or(0)) + ")");
    }
    if (c.reference_items > 0 && c.other_items > 0) one_sided(c, f, sided);  // an empty side has no shares
  }
  std::vector<std::string> out = over;
  model_selected(c, out);
  out.insert(out.end(), sided.begin(), sided.end());
  out.insert(out.end(), tests.begin(), tests.end());
  return out;
}

}  // namespace clipset::compare_detail
