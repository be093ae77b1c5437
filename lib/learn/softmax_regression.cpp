// Multinomial logistic regression. The objective is scikit-learn's, divided by C * n so that its
// scale (and so the gradient tolerance) does not depend on the number of rows:
//   mean over rows of (logsumexp(z) - z[label]) + |W|^2 / (2 C n),   z = W x + intercepts.

#include <algorithm>
#include <cmath>

#include "clipset/error.hpp"
#include "clipset/learn.hpp"
#include "lbfgs.hpp"

namespace clipset {

namespace {

// Class probabilities of one row, computed stably (the largest score subtracted first).
void softmax_in_place(const double* weights, std::size_t cols, int classes, const double* row, std::vector<double>& scores) {
  const std::size_t stride = cols + 1;
  double largest = -INFINITY;
  for (int k = 0; k < classes; ++k) {
    const double* w = weights + static_cast<std::size_t>(k) * stride;
    double z = w[cols];
    for (std::size_t c = 0; c < cols; ++c) z += w[c] * row[c];
    scores[static_cast<std::size_t>(k)] = z;
    largest = std::max(largest, z);
  }
  double sum = 0;
  for (auto& z : scores) {
    z = std::exp(z - largest);
    sum += z;
  }
  for (auto& z : scores) z /= sum;
}

}  // namespace

void SoftmaxRegression::fit(const FeatureMatrix& features, const std::vector<int>& labels, int classes, const SoftmaxOptions& options) {
  if (features.rows == 0) throw_usage("softmax regression", "no training rows");
  if (labels.size() != features.rows) throw_usage("softmax regression", "labels and rows differ in number");
  if (classes < 1) throw_usage("softmax regression", "no classes");
  if (!(options.inverse_regularization > 0)) throw_usage("softmax regression", "C must be positive");
  for (const int label : labels) {
    if (label < 0 || label >= classes) throw_usage("softmax regression", "label " + std::to_string(label) + " out of range");
  }
  classes_ = classes;
  cols_ = features.cols;
  const std::size_t stride = cols_ + 1;
  const double n = static_cast<double>(features.rows);
  const double penalty = 1.0 / (options.inverse_regularization * n);

  learn_detail::Objective objective = [&](const std::vector<double>& w, std::vector<double>& gradient) {
    std::fill(gradient.begin(), gradient.end(), 0.0);
    std::vector<double> p(static_cast<std::size_t>(classes));
    double loss = 0;
    for (std::size_t r = 0; r < features.rows; ++r) {
      const double* row = features.row(r);
      softmax_in_place(w.data(), cols_, classes, row, p);
      const auto label = static_cast<std::size_t>(labels[r]);
      loss -= std::log(std::max(p[label], 1e-300));
      p[label] -= 1.0;  // the gradient of the log loss with respect to the scores
      for (int k = 0; k < classes; ++k) {
        double* g = gradient.data() + static_cast<std::size_t>(k) * stride;
        const double d = p[static_cast<std::size_t>(k)];
        for (std::size_t c = 0; c < cols_; ++c) g[c] += d * row[c];
        g[cols_] += d;
      }
    }
    double value = loss / n;
    for (auto& g : gradient) g /= n;
    for (int k = 0; k < classes; ++k) {
      for (std::size_t c = 0; c < cols_; ++c) {
        const std::size_t i = static_cast<std::size_t>(k) * stride + c;
        value += 0.5 * penalty * w[i] * w[i];
        gradient[i] += penalty * w[i];
      }
    }
    return value;
  };
  weights_.assign(static_cast<std::size_t>(classes) * stride, 0.0);
  const auto result = learn_detail::minimize_lbfgs(objective, weights_, options.max_iterations, options.tolerance);
  iterations_ = result.iterations;
  converged_ = result.converged;
}

std::vector<double> SoftmaxRegression::probabilities(const double* row) const {
  std::vector<double> p(static_cast<std::size_t>(classes_));
  softmax_in_place(weights_.data(), cols_, classes_, row, p);
  return p;
}

std::vector<int> SoftmaxRegression::predict(const FeatureMatrix& features) const {
  if (features.cols != cols_) {
    throw Error(ErrorKind::internal, "softmax regression", "trained on " + std::to_string(cols_) + " columns, asked about " + std::to_string(features.cols));
  }
  std::vector<int> predicted(features.rows);
  std::vector<double> p(static_cast<std::size_t>(classes_));
  for (std::size_t r = 0; r < features.rows; ++r) {
    softmax_in_place(weights_.data(), cols_, classes_, features.row(r), p);
    // The first of equally likely classes: a fixed rule keeps predictions deterministic.
    predicted[r] = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
  }
  return predicted;
}

int majority_class(const std::vector<int>& labels, int classes) {
  std::vector<std::size_t> counts(static_cast<std::size_t>(std::max(classes, 1)), 0);
  for (const int label : labels) {
    if (label >= 0 && label < classes) ++counts[static_cast<std::size_t>(label)];
  }
  return static_cast<int>(std::max_element(counts.begin(), counts.end()) - counts.begin());
}

}  // namespace clipset
