// Local search after iterative stratification. The greedy pass deals each group once, in one
// order, looking at one class; moving or swapping a few groups afterwards often removes most of
// what is left of the deviation, especially for multi-label groups, few large groups, and the
// split sizes.

#include <algorithm>
#include <cmath>

#include "clipset/split.hpp"
#include "partition.hpp"

namespace clipset {

namespace {

// How much the split sizes count next to the classes in the objective: as much as one class.
constexpr double kTotalWeight = 1.0;
// A change must lower the objective by more than rounding noise, or passes could cycle.
constexpr double kMinGain = 1e-12;
constexpr double kSlack = 1e-12;
// Swaps cost a pass over all pairs; with more groups than this, single moves are fine-grained
// enough (each group is then a small part of the whole).
constexpr std::size_t kMaxSwapGroups = 2000;

class Search {
 public:
  Search(const PartitionProblem& problem, std::vector<int>& parts) : problem_(problem), parts_(parts) {
    k_ = problem.ratios.size();
    classes_ = problem.class_count;
    std::vector<double> heaviest(classes_, 0.0);
    class_total_.assign(classes_, 0.0);
    for (const auto& g : problem.groups) {
      total_ += static_cast<double>(g.weight);
      for (const auto& [c, w] : g.classes) {
        class_total_[c] += static_cast<double>(w);
        if (g.fixed < 0) heaviest[c] = std::max(heaviest[c], static_cast<double>(w));
      }
    }
    for (std::size_t j = 0; j < k_; ++j) {
      if (problem.ratios[j] > 0) open_.push_back(static_cast<int>(j));
    }
    // Deviations as fractions of the whole (or of the class): share in the part minus its ratio.
    dev_.assign(k_, 0.0);
    dev_class_.assign(classes_ * k_, 0.0);
    for (std::size_t j = 0; j < k_; ++j) dev_[j] = -problem.ratios[j];
    for (std::size_t c = 0; c < classes_; ++c) {
      for (std::size_t j = 0; j < k_; ++j) dev_class_[c * k_ + j] = class_total_[c] > 0 ? -problem.ratios[j] : 0.0;
    }
    for (std::size_t g = 0; g < problem.groups.size(); ++g) shift(g, static_cast<std::size_t>(parts_[g]), +1);
    // The bound the greedy pass guarantees for single-class groups (see partition.hpp): a change may
    // not push a deviation within it beyond it. (Multi-label groups can leave deviations beyond
    // it; those are left to the objective, or no move could touch them.)
    bound_.assign(classes_, 0.0);
    const double others = static_cast<double>(open_.size()) - 1;
    for (std::size_t c = 0; c < classes_; ++c) {
      if (class_total_[c] > 0) bound_[c] = others * heaviest[c] / class_total_[c];
    }
  }

  bool usable() const { return k_ >= 2 && total_ > 0 && open_.size() >= 2; }

  // One pass of single moves, best destination per group; returns the number of moves.
  std::size_t move_pass(const std::vector<std::size_t>& order) {
    std::size_t moved = 0;
    for (const std::size_t g : order) {
      if (problem_.groups[g].fixed >= 0) continue;
      const auto a = static_cast<std::size_t>(parts_[g]);
      int best = -1;
      double best_gain = kMinGain;
      for (const int to : open_) {
        const auto b = static_cast<std::size_t>(to);
        if (b == a) continue;
        double gain = 0;
        if (gain_of_exchange(g, static_cast<std::size_t>(-1), a, b, gain) && gain > best_gain) {
          best_gain = gain;
          best = to;
        }
      }
      if (best < 0) continue;
      shift(g, a, -1);
      parts_[g] = best;
      shift(g, static_cast<std::size_t>(best), +1);
      ++moved;
    }
    return moved;
  }

  // One pass of pairwise swaps between parts, best partner per group.
  std::size_t swap_pass(const std::vector<std::size_t>& order) {
    std::size_t swapped = 0;
    for (std::size_t x = 0; x < order.size(); ++x) {
      const std::size_t g = order[x];
      if (problem_.groups[g].fixed >= 0) continue;
      std::size_t best = static_cast<std::size_t>(-1);
      double best_gain = kMinGain;
      for (std::size_t y = x + 1; y < order.size(); ++y) {
        const std::size_t h = order[y];
        if (problem_.groups[h].fixed >= 0 || parts_[h] == parts_[g]) continue;
        double gain = 0;
        if (gain_of_exchange(g, h, static_cast<std::size_t>(parts_[g]), static_cast<std::size_t>(parts_[h]), gain) && gain > best_gain) {
          best_gain = gain;
          best = h;
        }
      }
      if (best == static_cast<std::size_t>(-1)) continue;
      const auto a = static_cast<std::size_t>(parts_[g]);
      const auto b = static_cast<std::size_t>(parts_[best]);
      shift(g, a, -1);
      shift(best, b, -1);
      parts_[g] = static_cast<int>(b);
      parts_[best] = static_cast<int>(a);
      shift(g, b, +1);
      shift(best, a, +1);
      ++swapped;
    }
    return swapped;
  }

 private:
  // Group g goes from part a to b and (unless h is -1) group h from b to a. Sets the decrease
  // of the objective; false when the guard forbids it. For a term x that changes by d:
  // (x + d)^2 - x^2 = d (d + 2x).
  bool gain_of_exchange(std::size_t g, std::size_t h, std::size_t a, std::size_t b, double& gain) const {
    const auto& G = problem_.groups[g];
    const bool swap = h != static_cast<std::size_t>(-1);
    const PartitionGroup* H = swap ? &problem_.groups[h] : nullptr;
    const double d_total = (static_cast<double>(G.weight) - (swap ? static_cast<double>(H->weight) : 0.0)) / total_;
    double change = kTotalWeight * (term(dev_[a], -d_total) + term(dev_[b], d_total));
    // Walk both sorted class lists at once: d = (w_g - w_h) / total of the class.
    std::size_t i = 0, m = 0;
    const std::size_t gi = G.classes.size(), hm = swap ? H->classes.size() : 0;
    while (i < gi || m < hm) {
      std::uint32_t c;
      double w = 0;
      if (m >= hm || (i < gi && G.classes[i].first < H->classes[m].first)) {
        c = G.classes[i].first;
        w = static_cast<double>(G.classes[i++].second);
      } else if (i >= gi || H->classes[m].first < G.classes[i].first) {
        c = H->classes[m].first;
        w = -static_cast<double>(H->classes[m++].second);
      } else {
        c = G.classes[i].first;
        w = static_cast<double>(G.classes[i++].second) - static_cast<double>(H->classes[m++].second);
      }
      if (class_total_[c] <= 0 || w == 0) continue;
      const double d = w / class_total_[c];
      const double x = dev_class_[c * k_ + a];
      const double y = dev_class_[c * k_ + b];
      const double limit = bound_[c] + kSlack;
      if ((std::fabs(x) <= limit && std::fabs(x - d) > limit) || (std::fabs(y) <= limit && std::fabs(y + d) > limit)) return false;
      change += term(x, -d) + term(y, d);
    }
    gain = -change;
    return true;
  }

  static double term(double x, double d) { return d * (d + 2 * x); }

  void shift(std::size_t g, std::size_t part, int sign) {
    const auto& G = problem_.groups[g];
    dev_[part] += sign * static_cast<double>(G.weight) / total_;
    for (const auto& [c, w] : G.classes) {
      if (class_total_[c] > 0) dev_class_[c * k_ + part] += sign * static_cast<double>(w) / class_total_[c];
    }
  }

  const PartitionProblem& problem_;
  std::vector<int>& parts_;
  std::size_t k_ = 0;
  std::size_t classes_ = 0;
  double total_ = 0;
  std::vector<double> class_total_;
  std::vector<int> open_;
  std::vector<double> dev_;
  std::vector<double> dev_class_;
  std::vector<double> bound_;
};

}  // namespace

std::size_t refine_partition(const PartitionProblem& problem, std::vector<int>& parts,
                             const std::vector<std::size_t>& order, int max_passes) {
  if (parts.size() != problem.groups.size()) return 0;
  Search search(problem, parts);
  if (!search.usable()) return 0;
  std::size_t free_groups = 0;
  for (const std::size_t g : order) free_groups += problem.groups[g].fixed < 0 ? 1 : 0;
  std::size_t changes = 0;
  for (int pass = 0; pass < max_passes; ++pass) {
    std::size_t changed = search.move_pass(order);
    if (changed == 0 && free_groups <= kMaxSwapGroups) changed = search.swap_pass(order);
    changes += changed;
    if (changed == 0) break;
  }
  return changes;
}

}  // namespace clipset
