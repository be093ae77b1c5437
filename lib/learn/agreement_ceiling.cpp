// How often annotators give a clip the same label. A model scored against labels that people
// themselves dispute rarely scores higher, so the curve reports this next to its asymptote.

#include <algorithm>
#include <map>
#include <set>

#include "curve_internal.hpp"

namespace clipset::detail {

namespace {

constexpr double kMajorityOfClip = 0.5;  // the share of a clip a label must cover to be its label

double clip_seconds(const Item& item) {
  if (item.duration) return *item.duration;
  if (item.frames && item.sample_rate && *item.sample_rate > 0) return double(*item.frames) / double(*item.sample_rate);
  return 0;
}

}  // namespace

void CeilingAccumulator::add(const Item& item) {
  const double length = clip_seconds(item);
  if (length <= 0 || item.annotations.empty()) return;
  // annotator -> label -> seconds of the clip it covers (first passes only: later passes measure
  // self-agreement, not the labels a model is scored against).
  std::map<std::string, std::map<std::string, double>> cover;
  for (const Annotation& a : item.annotations) {
    if (a.pass != 1) continue;
    const double overlap = std::min(a.end, length) - std::max(a.start, 0.0);
    auto& labels = cover[a.annotator.value_or("(unnamed)")];
    if (overlap > 0) labels[a.label] += overlap;
  }
  if (cover.size() < 2) return;
  std::vector<std::string> chosen;
  for (const auto& [annotator, labels] : cover) {
    std::string best;  // "" : no label covers most of the clip (background)
    double best_seconds = kMajorityOfClip * length;
    for (const auto& [label, seconds] : labels) {
      if (seconds >= best_seconds) {
        best = label;
        best_seconds = seconds;
      }
    }
    chosen.push_back(best);
    if (std::find(annotators_.begin(), annotators_.end(), annotator) == annotators_.end()) annotators_.push_back(annotator);
  }
  ++clips_;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    for (std::size_t j = i + 1; j < chosen.size(); ++j) {
      ++pairs_;
      if (chosen[i] == chosen[j]) ++agreeing_;
    }
  }
}

std::optional<AgreementCeiling> CeilingAccumulator::finish() const {
  if (pairs_ == 0) return std::nullopt;
  AgreementCeiling c;
  c.clips = clips_;
  c.pairs = pairs_;
  c.agreement = double(agreeing_) / double(pairs_);
  c.annotators = annotators_;
  std::sort(c.annotators.begin(), c.annotators.end());
  return c;
}

}  // namespace clipset::detail
