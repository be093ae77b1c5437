// Event-based comparison of two event lists, as sed_eval's EventBasedMetrics defines it: an
// estimated event matches a reference event of the same label whose onset is within the collar
// (and offset within max(collar, a fraction of the reference length)); matches are a maximum
// bipartite matching (or greedy in list order); leftovers that match in time but not in label
// are substitutions.

#include <cmath>
#include <functional>

#include "clipset/agreement.hpp"

namespace clipset {

namespace {

bool onset_ok(const Event& ref, const Event& est, const EventMatchOptions& o) {
  return !o.evaluate_onset || std::fabs(ref.onset - est.onset) <= o.collar;
}

bool offset_ok(const Event& ref, const Event& est, const EventMatchOptions& o) {
  if (!o.evaluate_offset) return true;
  const double tolerance = std::max(o.collar, o.offset_fraction * (ref.offset - ref.onset));
  return std::fabs(ref.offset - est.offset) <= tolerance;
}

// Kuhn's augmenting paths: the event lists of one file are small.
std::size_t maximum_matching(const std::vector<std::vector<std::size_t>>& edges, std::size_t right_count,
                             std::vector<bool>& left_matched, std::vector<bool>& right_matched) {
  std::vector<long> owner(right_count, -1);
  std::vector<bool> visited;
  const std::function<bool(std::size_t)> augment = [&](std::size_t left) {
    for (const auto right : edges[left]) {
      if (visited[right]) continue;
      visited[right] = true;
      if (owner[right] < 0 || augment(static_cast<std::size_t>(owner[right]))) {
        owner[right] = static_cast<long>(left);
        return true;
      }
    }
    return false;
  };
  std::size_t size = 0;
  for (std::size_t left = 0; left < edges.size(); ++left) {
    visited.assign(right_count, false);
    if (augment(left)) ++size;
  }
  for (std::size_t right = 0; right < right_count; ++right) {
    if (owner[right] >= 0) {
      right_matched[right] = true;
      left_matched[static_cast<std::size_t>(owner[right])] = true;
    }
  }
  return size;
}

}  // namespace

void EventCounts::add(const EventCounts& other) {
  reference += other.reference;
  estimated += other.estimated;
  matched += other.matched;
  substituted += other.substituted;
}

std::optional<double> EventCounts::precision() const {
  if (estimated == 0) return std::nullopt;
  return static_cast<double>(matched) / static_cast<double>(estimated);
}

std::optional<double> EventCounts::recall() const {
  if (reference == 0) return std::nullopt;
  return static_cast<double>(matched) / static_cast<double>(reference);
}

std::optional<double> EventCounts::f1() const {
  if (reference + estimated == 0) return std::nullopt;
  return 2.0 * static_cast<double>(matched) / static_cast<double>(reference + estimated);
}

std::optional<double> EventCounts::error_rate() const {
  if (reference == 0) return std::nullopt;
  return static_cast<double>(substituted + deletions() + insertions()) / static_cast<double>(reference);
}

EventCounts match_events(const std::vector<Event>& reference, const std::vector<Event>& estimated,
                         const EventMatchOptions& options) {
  EventCounts counts;
  counts.reference = reference.size();
  counts.estimated = estimated.size();
  std::vector<bool> ref_done(reference.size(), false), est_done(estimated.size(), false);
  auto hit = [&](const Event& r, const Event& e) { return onset_ok(r, e, options) && offset_ok(r, e, options); };
  if (options.optimal) {
    std::vector<std::vector<std::size_t>> edges(reference.size());
    for (std::size_t j = 0; j < reference.size(); ++j) {
      for (std::size_t i = 0; i < estimated.size(); ++i) {
        if (reference[j].label == estimated[i].label && hit(reference[j], estimated[i])) edges[j].push_back(i);
      }
    }
    counts.matched = maximum_matching(edges, estimated.size(), ref_done, est_done);
  } else {
    for (std::size_t j = 0; j < reference.size(); ++j) {
      for (std::size_t i = 0; i < estimated.size(); ++i) {
        if (est_done[i] || reference[j].label != estimated[i].label || !hit(reference[j], estimated[i])) continue;
        ref_done[j] = est_done[i] = true;
        ++counts.matched;
        break;
      }
    }
  }
  // Substitutions: leftover pairs that agree in time, first fit in list order.
  for (std::size_t j = 0; j < reference.size(); ++j) {
    if (ref_done[j]) continue;
    for (std::size_t i = 0; i < estimated.size(); ++i) {
      if (est_done[i] || !hit(reference[j], estimated[i])) continue;
      est_done[i] = true;
      ++counts.substituted;
      break;
    }
  }
  return counts;
}

}  // namespace clipset
