// Labels on clips: weak (inherited), strong (from covering annotations, by one annotator or a
// vote), and the annotations a clip keeps.

#include <algorithm>
#include <map>
#include <cmath>
#include <set>
#include <tuple>

#include "internal.hpp"

namespace clipset::detail {

namespace {

std::string annotator_of(const Annotation& a) { return a.annotator.value_or(""); }

// "vote" and "union" pool every annotator's first pass; any other value names one annotator.
bool pools_annotators(const std::string& annotator) { return annotator == "vote" || annotator == "union"; }

// A strict majority of the recording's annotators agree; with one annotator, theirs. Under
// "union", any one annotator is enough.
bool enough_annotators(std::size_t agreeing, std::size_t annotators, const std::string& annotator) {
  if (annotator == "union") return agreeing > 0;
  return agreeing * 2 > annotators;
}

std::size_t count_annotators(const std::vector<Annotation>& annotations) {
  std::set<std::string> who;
  for (const Annotation& a : annotations) who.insert(annotator_of(a));
  return who.size();
}

// An annotation covers a clip when they overlap by at least min_overlap of the clip, or of the
// annotation when it is shorter (a 0.2 s bark inside a 1 s clip counts). A point label counts
// when it falls inside the clip.
bool covers(const Annotation& a, double clip_start, double clip_end, double min_overlap) {
  if (a.end <= a.start) return a.start >= clip_start && a.start < clip_end;
  const double overlap = std::min(clip_end, a.end) - std::max(clip_start, a.start);
  if (overlap <= 0) return false;
  const double shorter = std::min(clip_end - clip_start, a.end - a.start);
  return overlap >= min_overlap * shorter - 1e-9;
}

bool is_point(const Annotation& a) { return a.end <= a.start; }

// For each span (in any order), the indices into `annotations` of those that overlap it (a point
// label: inside it), ascending. A sweep over spans by start and annotations by start: O((spans +
// annotations) log + pairs), never spans x annotations, so a dense track costs what it outputs.
template <class Visit>
void for_each_overlap(const std::vector<ClipSpan>& spans, const std::vector<Annotation>& annotations, double rate,
                      Visit visit) {
  std::vector<std::size_t> span_order(spans.size());
  for (std::size_t i = 0; i < spans.size(); ++i) span_order[i] = i;
  std::stable_sort(span_order.begin(), span_order.end(), [&](std::size_t a, std::size_t b) { return spans[a].start < spans[b].start; });
  std::vector<std::size_t> by_start(annotations.size());
  for (std::size_t i = 0; i < annotations.size(); ++i) by_start[i] = i;
  std::stable_sort(by_start.begin(), by_start.end(), [&](std::size_t a, std::size_t b) { return annotations[a].start < annotations[b].start; });

  std::vector<std::size_t> active;  // started before an earlier span's end, not yet over
  std::vector<std::size_t> found;
  std::size_t next = 0;
  for (const std::size_t index : span_order) {
    const double start = static_cast<double>(spans[index].start) / rate;
    const double end = static_cast<double>(spans[index].start + spans[index].content) / rate;
    while (next < by_start.size() && annotations[by_start[next]].start < end) active.push_back(by_start[next++]);
    // Span starts only grow: an annotation over before this one is over for every later span.
    std::erase_if(active, [&](std::size_t a) {
      const Annotation& x = annotations[a];
      return is_point(x) ? x.start < start : x.end <= start;
    });
    found.clear();
    for (const std::size_t a : active) {
      if (annotations[a].start < end) found.push_back(a);  // a later span may end earlier
    }
    std::sort(found.begin(), found.end());
    visit(index, found);
  }
}

}  // namespace

std::vector<Annotation> selected_annotations(const Item& item, const std::string& annotator, const std::string& salience) {
  std::vector<Annotation> selected;
  for (const Annotation& a : item.annotations) {
    if (a.pass != 1) continue;  // repeated passes measure self-agreement; the first is the label
    if (!salience.empty() && a.salience != salience) continue;  // an untagged event is of neither
    if (pools_annotators(annotator) || annotator_of(a) == annotator) selected.push_back(a);
  }
  return selected;
}

std::vector<Annotation> event_list(const std::vector<Annotation>& selected, const std::string& annotator,
                                   std::size_t* outvoted) {
  std::vector<Annotation> events = selected;
  std::stable_sort(events.begin(), events.end(), [](const Annotation& a, const Annotation& b) {
    return std::tie(a.label, a.start) < std::tie(b.label, b.start);
  });
  if (pools_annotators(annotator)) {
    // Several annotators marking one event give one clip: same-label events that overlap merge
    // into one, which stays when enough annotators are among those who marked it.
    const std::size_t annotators = count_annotators(selected);
    std::vector<Annotation> merged;
    std::set<std::string> marked_by;  // annotators of the event being merged
    const auto close_event = [&] {
      if (!merged.empty() && !enough_annotators(marked_by.size(), annotators, annotator)) {
        merged.pop_back();
        if (outvoted != nullptr) ++*outvoted;
      }
      marked_by.clear();
    };
    for (const Annotation& e : events) {
      if (!merged.empty() && merged.back().label == e.label && e.start <= merged.back().end) {
        merged.back().end = std::max(merged.back().end, e.end);
        if (merged.back().annotator != e.annotator) merged.back().annotator.reset();
        if (merged.back().salience != e.salience) merged.back().salience.reset();
      } else {
        close_event();
        merged.push_back(e);
      }
      marked_by.insert(annotator_of(e));
    }
    close_event();
    events = std::move(merged);
  }
  std::stable_sort(events.begin(), events.end(), [](const Annotation& a, const Annotation& b) { return a.start < b.start; });
  return events;
}

void label_spans(std::vector<ClipSpan>& spans, const Item& item, const std::vector<Annotation>& selected, bool strong,
                 double rate, const SegmentOptions& options) {
  if (!strong) {
    for (ClipSpan& span : spans) {
      span.labels = item.labels;
      span.label_source = item.label_source.value_or("none");
      span.salience = item.salience;
    }
    return;
  }
  const std::size_t annotators = pools_annotators(options.annotator) ? count_annotators(selected) : 1;
  for_each_overlap(spans, selected, rate, [&](std::size_t index, const std::vector<std::size_t>& overlapping) {
    ClipSpan& span = spans[index];
    const double start = static_cast<double>(span.start) / rate;
    const double end = static_cast<double>(span.start + span.content) / rate;
    std::map<std::string, std::set<std::string>> votes;  // label -> annotators who put it on this clip
    std::map<std::string, std::set<std::string>> saliences;  // label -> saliences given with it
    for (const std::size_t a : overlapping) {
      const Annotation& x = selected[a];
      if (x.label.empty() || !covers(x, start, end, options.min_overlap)) continue;
      votes[x.label].insert(annotator_of(x));
      if (x.salience) saliences[x.label].insert(*x.salience);
    }
    span.labels.clear();
    std::set<std::string> salience;
    for (const auto& [label, who] : votes) {
      if (enough_annotators(who.size(), annotators, options.annotator)) {
        span.labels.push_back(label);
        salience.insert(saliences[label].begin(), saliences[label].end());
      }
    }
    // One salience when the annotations its labels came from agree (untagged ones say nothing).
    span.salience.reset();
    if (salience.size() == 1) span.salience = *salience.begin();
    span.label_source = "annotations";
    if (span.labels.empty() && options.background != "none") {
      span.labels = {options.background};
      span.label_source = "background";
    }
  });
}

void attach_annotations(std::vector<ClipSpan>& spans, const std::vector<Annotation>& selected, double rate) {
  for_each_overlap(spans, selected, rate, [&](std::size_t index, const std::vector<std::size_t>& overlapping) {
    ClipSpan& span = spans[index];
    const double start = static_cast<double>(span.start) / rate;
    const double end = static_cast<double>(span.start + span.content) / rate;
    span.annotations.clear();
    for (const std::size_t i : overlapping) {
      const Annotation& a = selected[i];
      Annotation cut = a;
      // Rounded to the microsecond so that float noise does not show in the manifest.
      cut.start = std::round((std::max(a.start, start) - start) * 1e6) / 1e6;
      cut.end = is_point(a) ? cut.start : std::round((std::min(a.end, end) - start) * 1e6) / 1e6;
      span.annotations.push_back(std::move(cut));
    }
  });
}

}  // namespace clipset::detail
