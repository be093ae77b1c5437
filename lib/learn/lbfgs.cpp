// L-BFGS (Nocedal & Wright, Numerical Optimization, algorithms 7.4 and 7.5) with a
// backtracking line search that halves the step until the Armijo condition holds.

#include "lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

namespace clipset::learn_detail {

namespace {

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

double largest_magnitude(const std::vector<double>& v) {
  double m = 0;
  for (const double x : v) m = std::max(m, std::abs(x));
  return m;
}

struct CurvaturePair {
  std::vector<double> s;  // step taken
  std::vector<double> y;  // change of the gradient
  double rho = 0;         // 1 / (y . s)
};

// The two-loop recursion: direction = -H * gradient, H the inverse Hessian estimate.
std::vector<double> search_direction(const std::vector<double>& gradient, const std::deque<CurvaturePair>& pairs) {
  std::vector<double> q = gradient;
  std::vector<double> alpha(pairs.size());
  for (std::size_t k = pairs.size(); k-- > 0;) {
    alpha[k] = pairs[k].rho * dot(pairs[k].s, q);
    for (std::size_t i = 0; i < q.size(); ++i) q[i] -= alpha[k] * pairs[k].y[i];
  }
  if (!pairs.empty()) {
    const auto& last = pairs.back();
    const double gamma = dot(last.s, last.y) / dot(last.y, last.y);
    for (auto& v : q) v *= gamma;
  }
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const double beta = pairs[k].rho * dot(pairs[k].y, q);
    for (std::size_t i = 0; i < q.size(); ++i) q[i] += pairs[k].s[i] * (alpha[k] - beta);
  }
  for (auto& v : q) v = -v;
  return q;
}

}  // namespace

LbfgsResult minimize_lbfgs(const Objective& f, std::vector<double>& x, int max_iterations, double tolerance, std::size_t memory) {
  LbfgsResult result;
  std::vector<double> gradient(x.size(), 0.0);
  double value = f(x, gradient);
  std::deque<CurvaturePair> pairs;
  std::vector<double> trial(x.size());
  std::vector<double> trial_gradient(x.size());
  for (result.iterations = 0; result.iterations < max_iterations; ++result.iterations) {
    if (largest_magnitude(gradient) < tolerance) {
      result.converged = true;
      break;
    }
    auto direction = search_direction(gradient, pairs);
    double slope = dot(direction, gradient);
    if (!(slope < 0)) {  // not a descent direction (rounding): restart from steepest descent
      pairs.clear();
      for (std::size_t i = 0; i < x.size(); ++i) direction[i] = -gradient[i];
      slope = dot(direction, gradient);
    }
    // The first step has no curvature estimate yet: scale it to a unit move.
    double step = pairs.empty() ? 1.0 / std::max(1.0, std::sqrt(dot(direction, direction))) : 1.0;
    double trial_value = 0;
    bool accepted = false;
    for (int halving = 0; halving < 60; ++halving, step *= 0.5) {
      for (std::size_t i = 0; i < x.size(); ++i) trial[i] = x[i] + step * direction[i];
      trial_value = f(trial, trial_gradient);
      if (std::isfinite(trial_value) && trial_value <= value + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
    }
    if (!accepted) break;  // no decrease is possible at this precision: as good as it gets
    CurvaturePair pair{std::vector<double>(x.size()), std::vector<double>(x.size()), 0};
    for (std::size_t i = 0; i < x.size(); ++i) {
      pair.s[i] = trial[i] - x[i];
      pair.y[i] = trial_gradient[i] - gradient[i];
    }
    const double sy = dot(pair.s, pair.y);
    if (sy > 1e-12 * std::sqrt(dot(pair.s, pair.s) * dot(pair.y, pair.y))) {  // keeps H positive definite
      pair.rho = 1.0 / sy;
      pairs.push_back(std::move(pair));
      if (pairs.size() > memory) pairs.pop_front();
    }
    const double decrease = value - trial_value;
    x.swap(trial);
    gradient.swap(trial_gradient);
    value = trial_value;
    if (decrease <= 1e-15 * std::max(1.0, std::abs(value))) {
      result.converged = largest_magnitude(gradient) < tolerance;
      ++result.iterations;
      break;
    }
  }
  result.value = value;
  return result;
}

}  // namespace clipset::learn_detail
