// One field of two sides compared: the categories both are counted over, the divergence and the
// test that fits the field's kind.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "internal.hpp"

namespace clipset::compare_detail {

namespace {

// A numeric field with at most this many distinct values is compared value by value (sample
// rates, channel counts); beyond it, over bins at the deciles of both sides together.
constexpr std::size_t kMaxDistinctNumbers = 20;
constexpr std::size_t kBins = 10;

std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

// Bin edges at the deciles of the pooled values, without repeats; a value v falls in the last
// bin whose edge is <= v.
std::vector<double> decile_edges(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> pooled(a);
  pooled.insert(pooled.end(), b.begin(), b.end());
  std::sort(pooled.begin(), pooled.end());
  std::vector<double> edges;
  for (std::size_t k = 0; k < kBins; ++k) {
    const double edge = pooled[k * pooled.size() / kBins];
    if (edges.empty() || edge > edges.back()) edges.push_back(edge);
  }
  return edges;
}

std::vector<ValueCounts> binned(const std::vector<double>& reference, const std::vector<double>& other) {
  const std::vector<double> edges = decile_edges(reference, other);
  std::vector<ValueCounts> bins(edges.size());
  for (std::size_t i = 0; i < edges.size(); ++i) {
    bins[i].value = i + 1 < edges.size() ? "[" + rounded_text(edges[i]) + ", " + rounded_text(edges[i + 1]) + ")"
                                         : ">= " + rounded_text(edges[i]);
  }
  auto bin_of = [&](double v) {
    return static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin()) - 1;
  };
  for (const double v : reference) bins[bin_of(v)].reference += 1;
  for (const double v : other) bins[bin_of(v)].other += 1;
  return bins;
}

std::vector<ValueCounts> numeric_values(const FieldTally& reference, const FieldTally& other, bool& by_value) {
  std::set<double> distinct(reference.numbers.begin(), reference.numbers.end());
  for (const double v : other.numbers) {
    if (distinct.size() > kMaxDistinctNumbers) break;
    distinct.insert(v);
  }
  by_value = distinct.size() <= kMaxDistinctNumbers;
  if (!by_value) return binned(reference.numbers, other.numbers);
  std::vector<ValueCounts> values;
  for (const double v : distinct) values.push_back(ValueCounts{number_text(v), 0, 0});
  auto index = [&](double v) { return static_cast<std::size_t>(std::distance(distinct.begin(), distinct.find(v))); };
  for (const double v : reference.numbers) values[index(v)].reference += 1;
  for (const double v : other.numbers) values[index(v)].other += 1;
  return values;
}

// Categories of a categorical field: values in sorted order, numbers among them as text, and
// "(none)" for items without the field when either side has such items.
std::vector<ValueCounts> categorical_values(const FieldTally& reference, const FieldTally& other) {
  std::map<std::string, ValueCounts> merged;
  auto add = [&](const FieldTally& t, double ValueCounts::*side) {
    for (const auto& [value, n] : t.counts) merged[value].*side += n;
    for (const double v : t.numbers) merged[number_text(v)].*side += 1;
    if (t.missing > 0) merged[kNone].*side += static_cast<double>(t.missing);
  };
  add(reference, &ValueCounts::reference);
  add(other, &ValueCounts::other);
  std::vector<ValueCounts> values;
  for (auto& [value, counts] : merged) {
    counts.value = value;
    values.push_back(counts);
  }
  return values;
}

}  // namespace

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", value);
  return text;
}

std::string rounded_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

FieldComparison compare_field(const std::string& field, const FieldTally& reference, const FieldTally& other, bool numeric,
                              const std::optional<double>& threshold) {
  FieldComparison c;
  c.field = field;
  c.numeric = numeric;
  c.missing_reference = reference.missing;
  c.missing_other = other.missing;
  bool by_value = true;
  c.values = numeric ? numeric_values(reference, other, by_value) : categorical_values(reference, other);
  std::vector<double> p, q;
  for (const auto& v : c.values) {
    p.push_back(v.reference);
    q.push_back(v.other);
    if (!by_value) continue;
    if (v.other == 0 && v.reference > 0) c.only_reference.push_back(v.value);
    if (v.reference == 0 && v.other > 0) c.only_other.push_back(v.value);
  }
  c.js = jensen_shannon(p, q);
  if (numeric) {
    c.ks = kolmogorov_smirnov(reference.numbers, other.numbers);
    c.median_reference = median(reference.numbers);
    c.median_other = median(other.numbers);
  } else {
    c.chi_square = chi_square_homogeneity(p, q);
  }
  c.over_threshold = threshold && c.js && *c.js > *threshold;
  return c;
}

}  // namespace clipset::compare_detail
