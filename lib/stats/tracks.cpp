// An item's annotations as per-annotator tracks on a time grid: the units that the agreement
// coefficients compare.

#include <algorithm>
#include <cmath>
#include <sstream>

#include "internal.hpp"

namespace clipset::stats_detail {

namespace {
// Annotation times are written with 6 decimals; a boundary this close to the end is inside.
constexpr double kSlack = 1e-6;

std::string describe(const Item& item, const Annotation& a) {
  std::ostringstream text;
  text << item.id << ": " << a.label << " " << a.start << "-" << a.end << " s";
  if (item.duration) text << " (recording " << *item.duration << " s)";
  return text.str();
}
}  // namespace

ItemTracks tracks_of(const Item& item) {
  ItemTracks out;
  double last_end = 0;
  for (const auto& a : item.annotations) last_end = std::max(last_end, a.end);
  out.length = item.duration && std::isfinite(*item.duration) && *item.duration > 0 ? *item.duration : last_end;
  std::map<std::pair<std::string, int>, Track> by_track;
  for (const auto& a : item.annotations) {
    Event e{a.start, a.end, a.label};
    if (!std::isfinite(e.onset) || !std::isfinite(e.offset) || e.onset < -kSlack || e.offset > out.length + kSlack) {
      out.outside.push_back(describe(item, a));
      e.onset = std::clamp(std::isfinite(e.onset) ? e.onset : 0.0, 0.0, out.length);
      e.offset = std::clamp(std::isfinite(e.offset) ? e.offset : out.length, e.onset, out.length);
    }
    Track& track = by_track[{a.annotator.value_or("(unnamed)"), a.pass}];
    track.events.push_back(std::move(e));
    track.saliences.push_back(a.salience.value_or(kNone));
  }
  for (auto& [key, track] : by_track) {
    track.annotator = key.first;
    track.pass = key.second;
    out.tracks.push_back(std::move(track));
  }
  return out;
}

std::vector<std::string> labels_of(const std::vector<const Track*>& tracks) {
  std::vector<std::string> labels;
  for (const auto* t : tracks) {
    for (const auto& e : t->events) labels.push_back(e.label);
  }
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  if (labels.size() > 64) labels.resize(64);  // an item with more distinct labels is no audio annotation
  return labels;
}

std::size_t frame_count(double length, double grid) {
  if (!(length > 0) || !(grid > 0)) return 0;
  return static_cast<std::size_t>(std::ceil(length / grid - kSlack));
}

FrameLabels frame_labels(const Track& track, const std::vector<std::string>& labels, double grid, std::size_t frames) {
  FrameLabels out;
  out.labels = labels;
  out.masks.assign(frames, 0);
  for (const auto& e : track.events) {
    const auto at = std::lower_bound(labels.begin(), labels.end(), e.label);
    if (at == labels.end() || *at != e.label) continue;
    const std::uint64_t bit = std::uint64_t{1} << (at - labels.begin());
    // Frames whose midpoint (f + 0.5) * grid lies in [onset, offset).
    const double first = std::ceil(e.onset / grid - 0.5);
    const double end = std::ceil(e.offset / grid - 0.5);
    const auto lo = static_cast<std::size_t>(std::max(0.0, first));
    const auto hi = static_cast<std::size_t>(std::clamp(end, 0.0, static_cast<double>(frames)));
    for (std::size_t f = lo; f < hi; ++f) out.masks[f] |= bit;
  }
  return out;
}

std::size_t Categories::id(const std::string& name) {
  const auto [it, inserted] = ids_.try_emplace(name, names_.size());
  if (inserted) names_.push_back(name);
  return it->second;
}

std::string category_of(std::uint64_t mask, const std::vector<std::string>& labels) {
  if (mask == 0) return kNone;
  std::string name;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if ((mask >> i) & 1U) name += (name.empty() ? "" : "+") + labels[i];
  }
  return name;
}

}  // namespace clipset::stats_detail
