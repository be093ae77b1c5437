// Agreement over a manifest: each item's annotators compared on a time grid (strong labels),
// per item (weak labels) and event by event, summed into streaming coefficient accumulators.

#include <algorithm>
#include <bit>
#include <cstdio>
#include <set>

#include "clipset/error.hpp"
#include "internal.hpp"

namespace clipset {

using namespace stats_detail;

namespace {

constexpr std::size_t kMaxOutsideExamples = 10;
// Frames per recording: beyond this a --grid is a typo (1us), not a resolution anyone labels at.
constexpr std::size_t kMaxFrames = std::size_t{1} << 27;

struct PairState {
  std::size_t items = 0, frames = 0;
  std::map<std::pair<std::size_t, std::size_t>, double> confusion, weak;  // category ids
  EventCounts events;
};

struct LabelState {
  std::set<std::string> annotators;
  std::size_t marked = 0, disputed = 0;
  CoincidenceMatrix presence;
};

struct SalienceState {
  std::size_t events = 0, found = 0, marked = 0, disputed = 0;
};

// The events of a track with one salience.
Track with_salience(const Track& track, const std::string& salience) {
  Track out;
  out.annotator = track.annotator;
  out.pass = track.pass;
  for (std::size_t e = 0; e < track.events.size(); ++e) {
    if (track.saliences[e] == salience) out.events.push_back(track.events[e]);
  }
  return out;
}

// One view of the data (frames or items): Krippendorff's alpha and Fleiss' kappa per rater count.
struct View {
  std::size_t units = 0;
  CoincidenceMatrix alpha;
  std::map<std::size_t, FleissAccumulator> fleiss;
  void add(const std::vector<std::size_t>& values) {
    ++units;
    alpha.add_unit(values);
    fleiss[values.size()].add_ratings(values);
  }
};

// A track rendered for comparison: its frame categories and its weak (item) category.
struct Rendered {
  std::vector<std::size_t> frames;
  std::vector<std::uint64_t> masks;
  std::size_t weak = 0;
};

}  // namespace

struct AgreementAccumulator::State {
  AgreementOptions options;
  Categories categories;
  std::set<std::string> annotators, compared;
  std::size_t items_annotated = 0, items_compared = 0;
  View strong, weak;
  std::map<std::pair<std::string, std::string>, PairState> pairs, self;
  std::map<std::string, LabelState> label_states;
  std::map<std::string, SalienceState> salience_states;
  std::size_t outside = 0;
  std::vector<std::string> outside_examples;
  std::size_t too_long = 0;
  std::vector<std::string> too_long_examples;

  Rendered render(const Track& track, const std::vector<std::string>& labels, std::size_t frames) {
    Rendered r;
    FrameLabels fl = frame_labels(track, labels, options.grid, frames);
    std::map<std::uint64_t, std::size_t> cache;
    r.frames.reserve(frames);
    for (const auto mask : fl.masks) {
      auto [it, inserted] = cache.try_emplace(mask, 0);
      if (inserted) it->second = categories.id(category_of(mask, labels));
      r.frames.push_back(it->second);
    }
    r.masks = std::move(fl.masks);
    std::uint64_t all = 0;
    for (const auto& e : track.events) {
      const auto at = std::lower_bound(labels.begin(), labels.end(), e.label);
      if (at != labels.end() && *at == e.label) all |= std::uint64_t{1} << (at - labels.begin());
    }
    r.weak = categories.id(category_of(all, labels));
    return r;
  }

  void compare(PairState& pair, const Track& a, const Rendered& ra, const Track& b, const Rendered& rb) {
    ++pair.items;
    pair.frames += ra.frames.size();
    for (std::size_t f = 0; f < ra.frames.size(); ++f) pair.confusion[{ra.frames[f], rb.frames[f]}] += 1;
    pair.weak[{ra.weak, rb.weak}] += 1;
    EventMatchOptions match;
    match.collar = options.collar;
    pair.events.add(match_events(a.events, b.events, match));
  }

  void add_labels(const std::vector<const Track*>& tracks, const std::vector<Rendered>& rendered,
                  const std::vector<std::string>& item_labels) {
    std::vector<std::size_t> presence(tracks.size());
    for (std::size_t i = 0; i < item_labels.size(); ++i) {
      LabelState& state = label_states[item_labels[i]];
      for (const auto* t : tracks) {
        if (std::any_of(t->events.begin(), t->events.end(), [&](const Event& e) { return e.label == item_labels[i]; })) {
          state.annotators.insert(t->annotator);
        }
      }
      const std::uint64_t bit = std::uint64_t{1} << i;
      const std::size_t frames = rendered.front().masks.size();
      for (std::size_t f = 0; f < frames; ++f) {
        std::size_t marked = 0;
        for (std::size_t r = 0; r < rendered.size(); ++r) {
          presence[r] = (rendered[r].masks[f] & bit) ? 1 : 0;
          marked += presence[r];
        }
        state.presence.add_unit(presence);
        if (marked == 0) continue;
        ++state.marked;
        if (marked < rendered.size()) ++state.disputed;
      }
    }
  }

  // For each salience: the events of one annotator the others found, and the frames someone marked
  // with it that another left without the label.
  void add_salience(const std::vector<const Track*>& firsts, const std::vector<Rendered>& rendered,
                    const std::vector<std::string>& item_labels, std::size_t frames) {
    std::set<std::string> kinds;
    for (const auto* t : firsts) kinds.insert(t->saliences.begin(), t->saliences.end());
    EventMatchOptions match;
    match.collar = options.collar;
    for (const auto& kind : kinds) {
      SalienceState& state = salience_states[kind];
      std::vector<std::uint64_t> marked_with(frames, 0);
      for (std::size_t a = 0; a < firsts.size(); ++a) {
        const Track only = with_salience(*firsts[a], kind);
        if (only.events.empty()) continue;
        for (std::size_t b = 0; b < firsts.size(); ++b) {
          if (b == a) continue;
          const EventCounts counts = match_events(only.events, firsts[b]->events, match);
          state.events += counts.reference;
          state.found += counts.matched;
        }
        const FrameLabels fl = frame_labels(only, item_labels, options.grid, frames);
        for (std::size_t f = 0; f < frames; ++f) marked_with[f] |= fl.masks[f];
      }
      for (std::size_t f = 0; f < frames; ++f) {
        std::uint64_t everyone = ~std::uint64_t{0};
        for (const auto& r : rendered) everyone &= r.masks[f];
        state.marked += static_cast<std::size_t>(std::popcount(marked_with[f]));
        state.disputed += static_cast<std::size_t>(std::popcount(marked_with[f] & ~everyone));
      }
    }
  }

  void add_inter(const ItemTracks& item, const std::vector<const Track*>& firsts) {
    ++items_compared;
    const auto item_labels = labels_of(firsts);
    const std::size_t frames = frame_count(item.length, options.grid);
    std::vector<Rendered> rendered;
    for (const auto* t : firsts) {
      compared.insert(t->annotator);
      rendered.push_back(render(*t, item_labels, frames));
    }
    std::vector<std::size_t> values(firsts.size());
    for (std::size_t f = 0; f < frames; ++f) {
      for (std::size_t r = 0; r < rendered.size(); ++r) values[r] = rendered[r].frames[f];
      strong.add(values);
    }
    for (std::size_t r = 0; r < rendered.size(); ++r) values[r] = rendered[r].weak;
    weak.add(values);
    for (std::size_t a = 0; a < firsts.size(); ++a) {
      for (std::size_t b = a + 1; b < firsts.size(); ++b) {
        compare(pairs[{firsts[a]->annotator, firsts[b]->annotator}], *firsts[a], rendered[a], *firsts[b], rendered[b]);
      }
    }
    add_labels(firsts, rendered, item_labels);
    add_salience(firsts, rendered, item_labels, frames);
  }

  void add_self(const ItemTracks& item, const Track& first, const Track& later) {
    const auto item_labels = labels_of({&first, &later});
    const std::size_t frames = frame_count(item.length, options.grid);
    const Rendered a = render(first, item_labels, frames);
    const Rendered b = render(later, item_labels, frames);
    compare(self[{first.annotator, std::to_string(first.pass) + "\n" + std::to_string(later.pass)}], first, a, later, b);
  }
};

AgreementAccumulator::AgreementAccumulator(AgreementOptions options) : state_(std::make_unique<State>()) {
  if (!(options.grid > 0)) throw_option("grid", "must be more than 0");
  if (!(options.collar >= 0)) throw_option("collar", "must not be negative");
  state_->options = options;
}

AgreementAccumulator::~AgreementAccumulator() = default;

void AgreementAccumulator::add(const Item& item) {
  if (item.annotations.empty()) return;
  State& s = *state_;
  const ItemTracks tracks = tracks_of(item);
  if (frame_count(tracks.length, s.options.grid) > kMaxFrames) {
    // One item's absurd length is that item's problem: leave it out, name it, go on.
    ++s.too_long;
    if (s.too_long_examples.size() < kMaxOutsideExamples) {
      char length[32];
      std::snprintf(length, sizeof length, "%.6g s", tracks.length);
      s.too_long_examples.push_back(item.id + " (" + length + ")");
    }
    return;
  }
  ++s.items_annotated;
  s.outside += tracks.outside.size();
  for (const auto& text : tracks.outside) {
    if (s.outside_examples.size() < kMaxOutsideExamples) s.outside_examples.push_back(text);
  }
  std::vector<const Track*> firsts;  // each annotator's first pass (tracks are ordered by pass)
  for (const auto& t : tracks.tracks) {
    s.annotators.insert(t.annotator);
    if (firsts.empty() || firsts.back()->annotator != t.annotator) {
      firsts.push_back(&t);
    } else {
      s.add_self(tracks, *firsts.back(), t);
    }
  }
  if (firsts.size() >= 2) s.add_inter(tracks, firsts);
}

namespace {

Coefficients coefficients_of(const View& view, std::size_t raters) {
  Coefficients c;
  c.units = view.units;
  c.raters = raters;
  c.krippendorff_alpha = view.alpha.nominal_alpha();
  if (!view.fleiss.empty()) {
    const auto& [n, fleiss] = *view.fleiss.rbegin();  // the units every compared annotator rated
    c.fleiss_raters = n;
    c.fleiss_units = fleiss.subjects();
    c.fleiss_kappa = fleiss.kappa();
  }
  return c;
}

PairAgreement pair_of(const PairState& state, std::string first, std::string second, const Categories& categories) {
  PairAgreement p;
  p.first = std::move(first);
  p.second = std::move(second);
  p.items = state.items;
  p.frames = state.frames;
  p.events = state.events;
  std::set<std::string> used;
  for (const auto& [ab, n] : state.confusion) {
    used.insert(categories.name(ab.first));
    used.insert(categories.name(ab.second));
  }
  p.categories.assign(used.begin(), used.end());
  auto index = [&](std::size_t id) {
    return static_cast<std::size_t>(std::lower_bound(p.categories.begin(), p.categories.end(), categories.name(id)) -
                                    p.categories.begin());
  };
  p.confusion.assign(p.categories.size(), std::vector<double>(p.categories.size(), 0.0));
  for (const auto& [ab, n] : state.confusion) p.confusion[index(ab.first)][index(ab.second)] += n;
  p.cohen_kappa = cohen_kappa(p.confusion);
  // Weak labels: a table over the categories of this pair's items.
  std::set<std::size_t> weak_used;
  for (const auto& [ab, n] : state.weak) weak_used.insert({ab.first, ab.second});
  const std::vector<std::size_t> weak_ids(weak_used.begin(), weak_used.end());
  ConfusionTable weak(weak_ids.size(), std::vector<double>(weak_ids.size(), 0.0));
  auto weak_index = [&](std::size_t id) {
    return static_cast<std::size_t>(std::lower_bound(weak_ids.begin(), weak_ids.end(), id) - weak_ids.begin());
  };
  for (const auto& [ab, n] : state.weak) weak[weak_index(ab.first)][weak_index(ab.second)] += n;
  p.weak_kappa = cohen_kappa(weak);
  return p;
}

std::string join(const std::set<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

}  // namespace

AgreementReport AgreementAccumulator::finish() const {
  const State& s = *state_;
  AgreementReport r;
  r.options = s.options;
  r.annotators.assign(s.annotators.begin(), s.annotators.end());
  r.items_annotated = s.items_annotated;
  r.items_compared = s.items_compared;
  r.outside_recording = s.outside;
  r.outside_examples = s.outside_examples;
  r.too_long = s.too_long;
  r.too_long_examples = s.too_long_examples;
  if (s.items_annotated == 0) {
    r.not_computed = "no item has annotations (strong labels from Audacity label tracks)";
  } else if (s.annotators.size() < 2) {
    r.not_computed = "only one annotator (" + join(s.annotators) + ") labelled the recordings: agreement needs two or more";
  } else if (s.items_compared == 0) {
    r.not_computed = "no recording was labelled by two or more annotators (" + join(s.annotators) + " labelled different ones)";
  }
  r.strong = coefficients_of(s.strong, s.compared.size());
  r.weak = coefficients_of(s.weak, s.compared.size());
  for (const auto& [names, state] : s.pairs) r.pairs.push_back(pair_of(state, names.first, names.second, s.categories));
  for (const auto& [key, state] : s.self) {
    const auto newline = key.second.find('\n');
    r.self.push_back(pair_of(state, key.first + " (pass " + key.second.substr(0, newline) + ")",
                             key.first + " (pass " + key.second.substr(newline + 1) + ")", s.categories));
  }
  for (const auto& [label, state] : s.label_states) {
    LabelAgreement l;
    l.label = label;
    l.annotators.assign(state.annotators.begin(), state.annotators.end());
    l.frames_marked = state.marked;
    l.frames_disputed = state.disputed;
    l.alpha = state.presence.nominal_alpha();
    r.labels.push_back(std::move(l));
  }
  for (const auto& [salience, state] : s.salience_states) {
    r.salience.push_back({salience, state.events, state.found, state.marked, state.disputed});
  }
  // fg, bg, then untagged: the order a reader compares them in.
  std::stable_sort(r.salience.begin(), r.salience.end(), [](const SalienceAgreement& a, const SalienceAgreement& b) {
    const auto rank = [](const std::string& name) { return name == "fg" ? 0 : name == "bg" ? 1 : 2; };
    return rank(a.salience) < rank(b.salience);
  });
  std::stable_sort(r.labels.begin(), r.labels.end(),
                   [](const LabelAgreement& a, const LabelAgreement& b) { return a.disagreement() > b.disagreement(); });
  return r;
}

}  // namespace clipset
