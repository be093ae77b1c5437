#pragma once
// The statistics behind `learning-curve`: a multinomial logistic regression to train on growing
// subsets, the metrics it is judged by, and the inverse power law fitted to the error so that the
// data a target accuracy needs can be extrapolated, with a bootstrap interval.
// See docs/learning-curve.md.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clipset/features.hpp"

namespace clipset {

// ------------------------------------------------------------------------------- features

// Zero mean and unit variance per column, learnt on the training part only and then applied to
// any part. A constant column is centred and left at scale 1 (no division by zero).
class Standardizer {
 public:
  void fit(const FeatureMatrix& train);
  void apply(FeatureMatrix& features) const;  // throws clipset::Error (internal) on a column mismatch
  const std::vector<double>& mean() const noexcept { return mean_; }
  const std::vector<double>& scale() const noexcept { return scale_; }

 private:
  std::vector<double> mean_;
  std::vector<double> scale_;
};

// ------------------------------------------------------------------------------- classifier

struct SoftmaxOptions {
  // L2 penalty as scikit-learn's LogisticRegression spells it: minimise
  // C * sum(log loss) + 0.5 * |W|^2 (the intercepts are not penalised).
  double inverse_regularization = 1.0;  // C
  int max_iterations = 200;             // L-BFGS iterations
  double tolerance = 1e-6;              // stop when the largest gradient entry falls below this
};

// Multinomial logistic regression (softmax, L2), trained by L-BFGS on one thread (a learning curve
// trains many models at once, one per thread). Deterministic: the same data and options give the
// same weights.
class SoftmaxRegression {
 public:
  // labels[r] in [0, classes). Throws clipset::Error (usage) on empty data or bad labels.
  void fit(const FeatureMatrix& features, const std::vector<int>& labels, int classes, const SoftmaxOptions& options = {});
  std::vector<int> predict(const FeatureMatrix& features) const;
  // Class probabilities of one row, `classes` values summing to 1.
  std::vector<double> probabilities(const double* row) const;
  int classes() const noexcept { return classes_; }
  int iterations() const noexcept { return iterations_; }
  bool converged() const noexcept { return converged_; }

 private:
  int classes_ = 0;
  std::size_t cols_ = 0;
  std::vector<double> weights_;  // classes * (cols + 1): each class's weights, then its intercept
  int iterations_ = 0;
  bool converged_ = false;
};

// The majority-class baseline: always the most frequent training label (the smallest on a tie).
int majority_class(const std::vector<int>& labels, int classes);

// ------------------------------------------------------------------------------- metrics

struct ClassScores {
  std::size_t support = 0;  // true items of the class
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

struct ClassificationMetrics {
  std::size_t items = 0;
  double accuracy = 0;
  // Mean F1 over the classes present in truth or prediction (scikit-learn's "macro"; a class
  // never predicted and never true does not count).
  double macro_f1 = 0;
  // Mean recall over the classes present in truth (scikit-learn's balanced_accuracy_score).
  double balanced_accuracy = 0;
  std::vector<ClassScores> per_class;  // indexed by class
};

// Throws clipset::Error (usage) when the lengths differ or a label is out of range.
ClassificationMetrics score_predictions(const std::vector<int>& truth, const std::vector<int>& predicted, int classes);

// ------------------------------------------------------------------------------- curve

// err(n) = a * n^(-b) + c with a > 0, b > 0, c >= 0: the error falls with the training size n
// towards the floor c that no amount of data removes (label noise, ambiguous classes).
struct PowerLaw {
  double a = 0;
  double b = 0;
  double c = 0;
  double at(double n) const;
  // The smallest n whose predicted error is at most target_error; nullopt when the target is at or
  // below the floor c (no amount of data reaches it).
  std::optional<double> size_for(double target_error) const;
};

struct PowerLawFit {
  bool ok = false;
  std::string why;  // when not ok: why no curve can be fitted (fewer than 3 sizes, a rising error, ...)
  PowerLaw law;
  double rmse = 0;       // root mean square residual of the (weighted) points
  double r_squared = 0;  // 1 - residual / total sum of squares
};

// Least squares over (a, b, c) with c >= 0: for each exponent b the best a and c follow in closed
// form, so only b is searched (a grid, then golden section). weights may be empty (all 1).
// Needs at least 3 distinct sizes; says why otherwise.
PowerLawFit fit_power_law(const std::vector<double>& sizes, const std::vector<double>& errors, const std::vector<double>& weights = {});

// The spread of the extrapolation: the repeats at each size are resampled with replacement, the
// law refitted to their means, and the size for the target taken each time.
struct SizeInterval {
  std::size_t resamples = 0;
  std::size_t reachable = 0;          // resamples whose fitted floor lies below the target
  std::optional<double> low, high;    // percentile bounds over the reachable resamples
  double level = 0.95;
};

// errors_per_size[i] holds the error of every repeat at sizes[i].
SizeInterval bootstrap_size_interval(const std::vector<double>& sizes, const std::vector<std::vector<double>>& errors_per_size,
                                     double target_error, std::size_t resamples, std::uint64_t seed, double level = 0.95);

}  // namespace clipset
