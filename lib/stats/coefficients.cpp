// Chance-corrected agreement coefficients: Cohen's kappa, Fleiss' kappa, Krippendorff's nominal
// alpha. Definitions and worked examples in docs/stats.md.

#include <algorithm>
#include <cmath>

#include "clipset/agreement.hpp"
#include "clipset/error.hpp"

namespace clipset {

namespace {
// Below this, a denominator is zero: the coefficient is undefined, not huge.
constexpr double kTiny = 1e-12;
}  // namespace

std::optional<double> cohen_kappa(const ConfusionTable& table) {
  const std::size_t k = table.size();
  std::vector<double> rows(k, 0.0), cols(k, 0.0);
  double n = 0, agreed = 0;
  for (std::size_t a = 0; a < k; ++a) {
    if (table[a].size() != k) throw Error(ErrorKind::internal, "cohen_kappa", "the table is not square");
    for (std::size_t b = 0; b < k; ++b) {
      rows[a] += table[a][b];
      cols[b] += table[a][b];
      n += table[a][b];
    }
    agreed += table[a][a];
  }
  if (n <= 0) return std::nullopt;
  double expected = 0;
  for (std::size_t a = 0; a < k; ++a) expected += (rows[a] / n) * (cols[a] / n);
  if (1.0 - expected < kTiny) return std::nullopt;
  return (agreed / n - expected) / (1.0 - expected);
}

void FleissAccumulator::add_subject(const std::vector<double>& counts) {
  double n = 0;
  for (std::size_t j = 0; j < counts.size(); ++j) {
    n += counts[j];
    squares_ += counts[j] * counts[j];
    if (totals_.size() <= j) totals_.resize(j + 1, 0.0);
    totals_[j] += counts[j];
  }
  if (subjects_ == 0) raters_ = n;
  if (std::fabs(n - raters_) > kTiny) throw_usage("fleiss_kappa", "every subject needs the same number of raters");
  if (n < 2) throw_usage("fleiss_kappa", "every subject needs two or more raters");
  ++subjects_;
}

void FleissAccumulator::add_ratings(const std::vector<std::size_t>& values) {
  std::vector<double> counts;
  for (const auto v : values) {
    if (counts.size() <= v) counts.resize(v + 1, 0.0);
    counts[v] += 1;
  }
  add_subject(counts);
}

std::optional<double> FleissAccumulator::kappa() const {
  if (subjects_ == 0) return std::nullopt;
  const double ratings = static_cast<double>(subjects_) * raters_;
  const double observed = (squares_ - ratings) / (ratings * (raters_ - 1));
  double expected = 0;
  for (const double t : totals_) expected += (t / ratings) * (t / ratings);
  if (1.0 - expected < kTiny) return std::nullopt;
  return (observed - expected) / (1.0 - expected);
}

std::optional<double> fleiss_kappa(const std::vector<std::vector<double>>& counts) {
  FleissAccumulator fleiss;
  for (const auto& row : counts) fleiss.add_subject(row);
  return fleiss.kappa();
}

void CoincidenceMatrix::add_unit(const std::vector<std::size_t>& values) {
  if (values.size() < 2) return;
  // Counts per category of this unit; a unit has a handful of raters, so a sorted copy is enough.
  std::vector<std::size_t> sorted(values);
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::pair<std::size_t, double>> counts;
  for (const auto v : sorted) {
    if (counts.empty() || counts.back().first != v) counts.emplace_back(v, 0.0);
    counts.back().second += 1;
  }
  const double m = static_cast<double>(values.size());
  for (const auto& [c, nc] : counts) {
    for (const auto& [k, nk] : counts) {
      o_[{c, k}] += nc * (c == k ? nk - 1 : nk) / (m - 1);
    }
  }
}

double CoincidenceMatrix::pairable_values() const {
  double n = 0;
  for (const auto& [ck, o] : o_) n += o;
  return n;
}

std::optional<double> CoincidenceMatrix::nominal_alpha() const {
  std::map<std::size_t, double> marginal;
  double observed = 0;  // sum of o_ck, c != k
  for (const auto& [ck, o] : o_) {
    marginal[ck.first] += o;
    if (ck.first != ck.second) observed += o;
  }
  const double n = pairable_values();
  if (n < 2) return std::nullopt;
  double same = 0;  // sum of n_c^2
  for (const auto& [c, nc] : marginal) same += nc * nc;
  const double expected = n * n - same;  // sum of n_c n_k, c != k
  if (expected < kTiny) return std::nullopt;
  return 1.0 - (n - 1) * observed / expected;
}

std::optional<double> krippendorff_alpha_nominal(const std::vector<std::vector<std::optional<std::size_t>>>& data) {
  CoincidenceMatrix matrix;
  const std::size_t units = data.empty() ? 0 : data.front().size();
  std::vector<std::size_t> values;
  for (std::size_t u = 0; u < units; ++u) {
    values.clear();
    for (const auto& rater : data) {
      if (u < rater.size() && rater[u]) values.push_back(*rater[u]);
    }
    matrix.add_unit(values);
  }
  return matrix.nominal_alpha();
}

}  // namespace clipset
