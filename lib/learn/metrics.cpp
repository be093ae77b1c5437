// Accuracy, macro-F1 and balanced accuracy with scikit-learn's conventions, so that figures can
// be compared with what users compute there.

#include <algorithm>
#include <vector>

#include "clipset/error.hpp"
#include "clipset/learn.hpp"

namespace clipset {

ClassificationMetrics score_predictions(const std::vector<int>& truth, const std::vector<int>& predicted, int classes) {
  if (truth.size() != predicted.size()) throw_usage("metrics", "truth and predictions differ in number");
  ClassificationMetrics m;
  m.items = truth.size();
  const auto k = static_cast<std::size_t>(std::max(classes, 0));
  std::vector<std::size_t> true_count(k, 0), predicted_count(k, 0), hits(k, 0);
  std::size_t correct = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] < 0 || truth[i] >= classes || predicted[i] < 0 || predicted[i] >= classes) {
      throw_usage("metrics", "label out of range at item " + std::to_string(i));
    }
    const auto t = static_cast<std::size_t>(truth[i]);
    const auto p = static_cast<std::size_t>(predicted[i]);
    ++true_count[t];
    ++predicted_count[p];
    if (t == p) {
      ++hits[t];
      ++correct;
    }
  }
  if (m.items == 0) return m;
  m.accuracy = static_cast<double>(correct) / static_cast<double>(m.items);
  m.per_class.resize(k);
  double f1_sum = 0, recall_sum = 0;
  std::size_t f1_classes = 0, recall_classes = 0;
  for (std::size_t c = 0; c < k; ++c) {
    auto& s = m.per_class[c];
    s.support = true_count[c];
    // An undefined precision or recall (no predictions, no true items) counts as 0, as in scikit-learn.
    s.precision = predicted_count[c] ? static_cast<double>(hits[c]) / static_cast<double>(predicted_count[c]) : 0.0;
    s.recall = true_count[c] ? static_cast<double>(hits[c]) / static_cast<double>(true_count[c]) : 0.0;
    s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
    if (true_count[c] || predicted_count[c]) {
      f1_sum += s.f1;
      ++f1_classes;
    }
    if (true_count[c]) {
      recall_sum += s.recall;
      ++recall_classes;
    }
  }
  m.macro_f1 = f1_classes ? f1_sum / static_cast<double>(f1_classes) : 0.0;
  m.balanced_accuracy = recall_classes ? recall_sum / static_cast<double>(recall_classes) : 0.0;
  return m;
}

}  // namespace clipset
