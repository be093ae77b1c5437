// Fitting err(n) = a * n^(-b) + c. For a fixed b the model is linear in (a, c), so the best a and
// c have a closed form; the fit searches only b (a log-spaced grid, then golden section around
// the best grid point). Exhaustive enough for one parameter, and free of starting-point luck.

#include <algorithm>
#include <cmath>
#include <set>

#include "clipset/learn.hpp"

namespace clipset {

namespace {

constexpr double kLowestExponent = 0.01;
constexpr double kHighestExponent = 4.0;

struct Candidate {
  double a = 0, b = 0, c = 0;
  double sse = INFINITY;  // weighted sum of squared residuals
};

class Problem {
 public:
  Problem(const std::vector<double>& sizes, const std::vector<double>& errors, const std::vector<double>& weights)
      : n_(sizes), e_(errors), w_(weights.empty() ? std::vector<double>(sizes.size(), 1.0) : weights) {}

  // The best a >= 0 and c >= 0 for exponent b.
  Candidate solve(double b) const {
    double sw = 0, sx = 0, se = 0, sxx = 0, sxe = 0;
    for (std::size_t i = 0; i < n_.size(); ++i) {
      const double x = std::pow(n_[i], -b);
      sw += w_[i];
      sx += w_[i] * x;
      se += w_[i] * e_[i];
      sxx += w_[i] * x * x;
      sxe += w_[i] * x * e_[i];
    }
    Candidate best;
    best.b = b;
    const double det = sw * sxx - sx * sx;
    if (det > 1e-300) {
      best.a = (sw * sxe - sx * se) / det;
      best.c = (sxx * se - sx * sxe) / det;
    }
    // On the boundary of a >= 0, c >= 0 one parameter is fixed at 0 and the other is a mean.
    if (!(det > 1e-300) || best.c < 0) {
      best.c = 0;
      best.a = sxx > 0 ? sxe / sxx : 0;
    }
    if (best.a < 0) {
      best.a = 0;
      best.c = std::max(0.0, se / sw);
    }
    best.sse = sse(best);
    return best;
  }

  double sse(const Candidate& k) const {
    double sum = 0;
    for (std::size_t i = 0; i < n_.size(); ++i) {
      const double r = e_[i] - (k.a * std::pow(n_[i], -k.b) + k.c);
      sum += w_[i] * r * r;
    }
    return sum;
  }

  double weighted_total_squares() const {
    double sw = 0, se = 0;
    for (std::size_t i = 0; i < n_.size(); ++i) {
      sw += w_[i];
      se += w_[i] * e_[i];
    }
    const double mean = se / sw;
    double sum = 0;
    for (std::size_t i = 0; i < n_.size(); ++i) sum += w_[i] * (e_[i] - mean) * (e_[i] - mean);
    return sum;
  }

  double weight_sum() const {
    double sw = 0;
    for (const double w : w_) sw += w;
    return sw;
  }

 private:
  const std::vector<double>& n_;
  const std::vector<double>& e_;
  std::vector<double> w_;
};

Candidate search_exponent(const Problem& problem) {
  constexpr int kGrid = 240;
  const double log_lo = std::log(kLowestExponent), log_hi = std::log(kHighestExponent);
  auto exponent_at = [&](double t) { return std::exp(log_lo + (log_hi - log_lo) * t); };
  Candidate best;
  int best_index = 0;
  for (int i = 0; i <= kGrid; ++i) {
    const auto k = problem.solve(exponent_at(static_cast<double>(i) / kGrid));
    if (k.sse < best.sse) {
      best = k;
      best_index = i;
    }
  }
  // Golden section on log b between the grid neighbours of the best point.
  double lo = static_cast<double>(std::max(best_index - 1, 0)) / kGrid;
  double hi = static_cast<double>(std::min(best_index + 1, kGrid)) / kGrid;
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  double x1 = hi - ratio * (hi - lo), x2 = lo + ratio * (hi - lo);
  auto k1 = problem.solve(exponent_at(x1)), k2 = problem.solve(exponent_at(x2));
  for (int i = 0; i < 80 && hi - lo > 1e-12; ++i) {
    if (k1.sse <= k2.sse) {
      hi = x2;
      x2 = x1;
      k2 = k1;
      x1 = hi - ratio * (hi - lo);
      k1 = problem.solve(exponent_at(x1));
    } else {
      lo = x1;
      x1 = x2;
      k1 = k2;
      x2 = lo + ratio * (hi - lo);
      k2 = problem.solve(exponent_at(x2));
    }
  }
  for (const auto& k : {k1, k2}) {
    if (k.sse < best.sse) best = k;
  }
  return best;
}

std::string check_points(const std::vector<double>& sizes, const std::vector<double>& errors, const std::vector<double>& weights) {
  if (sizes.size() != errors.size() || (!weights.empty() && weights.size() != sizes.size())) {
    return "sizes, errors and weights differ in number";
  }
  std::set<double> distinct;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (!(sizes[i] > 0) || !std::isfinite(sizes[i])) return "a training size is not a positive number";
    if (!(errors[i] >= 0) || !std::isfinite(errors[i])) return "an error rate is not a number >= 0";
    if (!weights.empty() && !(weights[i] > 0 && std::isfinite(weights[i]))) return "a weight is not a positive number";
    distinct.insert(sizes[i]);
  }
  if (distinct.size() < 3) {
    return "only " + std::to_string(distinct.size()) + (distinct.size() == 1 ? " training size" : " training sizes") +
           "; a curve with three parameters needs at least 3 to be fitted, and more to be trusted";
  }
  return {};
}

}  // namespace

double PowerLaw::at(double n) const { return a * std::pow(n, -b) + c; }

std::optional<double> PowerLaw::size_for(double target_error) const {
  if (!(target_error > c) || !(a > 0) || !(b > 0)) return std::nullopt;
  return std::pow(a / (target_error - c), 1.0 / b);
}

PowerLawFit fit_power_law(const std::vector<double>& sizes, const std::vector<double>& errors, const std::vector<double>& weights) {
  PowerLawFit fit;
  fit.why = check_points(sizes, errors, weights);
  if (!fit.why.empty()) return fit;
  const Problem problem(sizes, errors, weights);
  const auto best = search_exponent(problem);
  fit.law = PowerLaw{best.a, best.b, best.c};
  fit.rmse = std::sqrt(best.sse / problem.weight_sum());
  const double total = problem.weighted_total_squares();
  fit.r_squared = total > 0 ? 1.0 - best.sse / total : 1.0;
  if (!(best.a > 0)) {
    fit.why = "the error does not fall as the training set grows, so no curve can be extrapolated";
    return fit;
  }
  fit.ok = true;
  return fit;
}

}  // namespace clipset
