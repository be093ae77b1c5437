// Column statistics from the training part only: standardising with statistics that saw the
// evaluation data would leak it into the model.

#include <cmath>

#include "clipset/error.hpp"
#include "clipset/learn.hpp"

namespace clipset {

void Standardizer::fit(const FeatureMatrix& train) {
  mean_.assign(train.cols, 0.0);
  scale_.assign(train.cols, 1.0);
  if (train.rows == 0) return;
  for (std::size_t r = 0; r < train.rows; ++r) {
    for (std::size_t c = 0; c < train.cols; ++c) mean_[c] += train.row(r)[c];
  }
  for (auto& m : mean_) m /= static_cast<double>(train.rows);
  std::vector<double> squares(train.cols, 0.0);
  for (std::size_t r = 0; r < train.rows; ++r) {
    for (std::size_t c = 0; c < train.cols; ++c) {
      const double d = train.row(r)[c] - mean_[c];
      squares[c] += d * d;
    }
  }
  for (std::size_t c = 0; c < train.cols; ++c) {
    const double sd = std::sqrt(squares[c] / static_cast<double>(train.rows));
    // A (near) constant column carries no information; scaling it up would only amplify rounding.
    scale_[c] = sd > 1e-12 * (1.0 + std::abs(mean_[c])) ? sd : 1.0;
  }
}

void Standardizer::apply(FeatureMatrix& features) const {
  if (features.cols != mean_.size()) {
    throw Error(ErrorKind::internal, "standardizer", "fitted on " + std::to_string(mean_.size()) + " columns, applied to " + std::to_string(features.cols));
  }
  for (std::size_t r = 0; r < features.rows; ++r) {
    double* row = features.row(r);
    for (std::size_t c = 0; c < features.cols; ++c) row[c] = (row[c] - mean_[c]) / scale_[c];
  }
}

}  // namespace clipset
