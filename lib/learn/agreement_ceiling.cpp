// How often annotators give a clip the same label. A model scored against labels that people
// themselves dispute rarely scores higher, so the curve reports this next to its asymptote.
//
// It is measured on the recordings, not on the clips of the dataset: segment's vote drops the
// clips annotators disagreed on (a 1-1 tie gives no label), so the clips that survive agree by
// construction. Each recording labelled by two or more annotators is cut into windows of the
// clips' length; every window some annotator marked is a unit, and an annotator who marked
// nothing there disagrees with one who did.

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "clipset/error.hpp"
#include "curve_internal.hpp"

namespace clipset::detail {

namespace {

// A recording cut into more windows than this (a unit of microseconds over hours) is not
// compared: the count would cost memory without changing the share.
constexpr double kMaxWindowMarks = 1e7;
constexpr double kMarkShare = 0.5;  // an annotation marks a window covering half of it (or of itself)

double seconds_of(const Item& item) {
  if (item.duration) return *item.duration;
  if (item.frames && item.sample_rate && *item.sample_rate > 0) return double(*item.frames) / double(*item.sample_rate);
  return 0;
}

std::string annotator_of(const Annotation& a) { return a.annotator.value_or("(unnamed)"); }

bool is_point(const Annotation& a) { return a.end <= a.start; }

// window -> annotator -> label -> seconds of the window it covers (point labels: 0, still a mark).
using WindowMarks = std::map<std::int64_t, std::map<std::string, std::map<std::string, double>>>;

// The windows each first-pass annotation marks. False when the recording is too finely cut.
bool mark_windows(const std::vector<Annotation>& annotations, double unit, double length, WindowMarks& marks) {
  double cost = 0;
  for (const Annotation& a : annotations) cost += (std::min(a.end, length) - std::max(a.start, 0.0)) / unit + 1;
  if (!(cost <= kMaxWindowMarks)) return false;
  for (const Annotation& a : annotations) {
    if (a.label.empty() || a.start >= length) continue;
    const double start = std::max(a.start, 0.0), end = std::min(a.end, length);
    const auto first = static_cast<std::int64_t>(std::floor(start / unit));
    const auto last = is_point(a) ? first : static_cast<std::int64_t>(std::ceil(end / unit)) - 1;
    for (std::int64_t w = first; w <= last; ++w) {
      const double w_start = double(w) * unit, w_end = std::min(w_start + unit, length);
      if (is_point(a)) {
        marks[w][annotator_of(a)][a.label] += 0;
        continue;
      }
      const double overlap = std::min(end, w_end) - std::max(start, w_start);
      if (overlap > 0 && overlap >= kMarkShare * std::min(w_end - w_start, end - start) - 1e-9) {
        marks[w][annotator_of(a)][a.label] += overlap;
      }
    }
  }
  return true;
}

// The annotator's label for a window: the marking label covering most of it ("" for none).
std::string label_in(const std::map<std::string, std::map<std::string, double>>& window, const std::string& annotator) {
  const auto it = window.find(annotator);
  if (it == window.end()) return "";
  std::string best;
  double best_seconds = -1;
  for (const auto& [label, seconds] : it->second) {
    if (seconds > best_seconds) {
      best = label;
      best_seconds = seconds;
    }
  }
  return best;
}

}  // namespace

CeilingAccumulator::CeilingAccumulator(double unit_seconds) : unit_(unit_seconds > 0 ? unit_seconds : 1.0) {}

bool CeilingAccumulator::add_recording(const Item& recording) {
  // First passes only: later passes measure self-agreement, not the labels a model is scored against.
  std::vector<Annotation> first;
  std::set<std::string> who;
  double end = 0;
  for (const Annotation& a : recording.annotations) {
    if (a.pass != 1) continue;
    first.push_back(a);
    who.insert(annotator_of(a));
    end = std::max(end, a.end);
  }
  if (who.size() < 2) return false;
  const double length = seconds_of(recording) > 0 ? seconds_of(recording) : end;
  WindowMarks marks;
  if (!(length > 0) || !mark_windows(first, unit_, length, marks)) return false;
  ++recordings_;
  annotators_.insert(who.begin(), who.end());
  const std::vector<std::string> raters(who.begin(), who.end());
  for (const auto& [window, by_annotator] : marks) {
    ++units_;
    std::vector<std::string> labels;
    for (const auto& r : raters) labels.push_back(label_in(by_annotator, r));
    for (std::size_t i = 0; i < labels.size(); ++i) {
      for (std::size_t j = i + 1; j < labels.size(); ++j) {
        ++pairs_;
        if (labels[i] == labels[j]) ++agreeing_;
      }
    }
  }
  return true;
}

std::optional<AgreementCeiling> CeilingAccumulator::finish() const {
  if (pairs_ == 0) return std::nullopt;
  AgreementCeiling c;
  c.recordings = recordings_;
  c.clips = units_;
  c.pairs = pairs_;
  c.unit_seconds = unit_;
  c.agreement = double(agreeing_) / double(pairs_);
  c.annotators.assign(annotators_.begin(), annotators_.end());
  return c;
}

namespace {

std::size_t first_pass_annotators(const Item& item) {
  std::set<std::string> who;
  for (const Annotation& a : item.annotations)
    if (a.pass == 1) who.insert(annotator_of(a));
  return who.size();
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

// The recordings of `name` that the dataset's clips were cut from, one line at a time.
void add_source_recordings(const std::string& name, const CeilingInputs& inputs, const LearningCurveCallbacks& callbacks,
                           CeilingAccumulator& ceiling, std::vector<std::string>& notes) {
  InputFile file(name);
  ManifestReader reader(file.stream(), file.display_name());
  if (callbacks.problem) reader.on_problem(callbacks.problem);
  std::size_t matched = 0;
  while (auto item = reader.next()) {
    if (inputs.sources.count(item->id) == 0) continue;
    ++matched;
    ceiling.add_recording(*item);
  }
  if (matched == 0) {
    notes.push_back("no recording of " + file.display_name() + " ({{annotations}}) is the source of a clip of the dataset: no agreement ceiling");
  }
}

}  // namespace

void CeilingInputs::add(const Item& item) {
  durations.push_back(seconds_of(item));
  sources.insert(item.source ? item.source->id : item.id);
  if (item.annotations.empty()) return;
  if (!item.source) {
    recordings.push_back(item);
  } else if (first_pass_annotators(item) >= 2) {
    ++clips_with_annotators;
  }
}

std::optional<AgreementCeiling> measure_ceiling(const CeilingInputs& inputs, const LearningCurveOptions& options,
                                                const LearningCurveCallbacks& callbacks, std::vector<std::string>& notes) {
  CeilingAccumulator ceiling(median(inputs.durations));
  if (!options.annotations.empty()) {
    add_source_recordings(options.annotations, inputs, callbacks, ceiling, notes);
    return ceiling.finish();
  }
  for (const Item& recording : inputs.recordings) ceiling.add_recording(recording);
  if (inputs.clips_with_annotators > 0 && inputs.recordings.empty()) {
    notes.push_back(std::to_string(inputs.clips_with_annotators) +
                    " clips carry labels of two or more annotators, but the clips kept after segment's vote agree by "
                    "construction: give the recordings' manifest ({{annotations}} raw.jsonl) for the agreement ceiling");
  }
  return ceiling.finish();
}

}  // namespace clipset::detail
