// Iterative stratification (Sechidis, Tsoumakas, Vlahavas 2011), generalised from examples to
// weighted groups. With one item per group, ratios 1/k and the tie-breaks replayed, it deals
// exactly as trent-b/iterative-stratification does (tests/unit/split_stratification_test.cpp).

#include <algorithm>
#include <limits>
#include <string>

#include "clipset/error.hpp"
#include "clipset/split.hpp"
#include "partition.hpp"

namespace clipset {

namespace {

// Indices among `parts` holding the largest value of value(j); exact comparison on purpose: the
// desired counts are built the same way on every platform, and ties are then real ties.
template <class Value>
std::vector<int> argmax(const std::vector<int>& parts, Value value) {
  std::vector<int> best;
  double top = -std::numeric_limits<double>::infinity();
  for (const int j : parts) {
    const double v = value(j);
    if (v > top) {
      top = v;
      best.clear();
    }
    if (v == top) best.push_back(j);
  }
  return best;
}

void check_problem(const PartitionProblem& problem, const std::vector<std::size_t>& order) {
  const std::size_t parts = problem.ratios.size();
  if (parts == 0) throw Error(ErrorKind::internal, "split", "no parts to deal groups into");
  for (const auto& g : problem.groups) {
    if (g.fixed >= static_cast<int>(parts)) throw Error(ErrorKind::internal, "split", "fixed part out of range");
    for (const auto& [c, w] : g.classes) {
      if (c >= problem.class_count) throw Error(ErrorKind::internal, "split", "class out of range");
    }
  }
  std::vector<char> seen(problem.groups.size(), 0);
  for (const std::size_t g : order) {
    if (g >= problem.groups.size() || seen[g]) throw Error(ErrorKind::internal, "split", "order is not a permutation");
    seen[g] = 1;
  }
  for (std::size_t g = 0; g < problem.groups.size(); ++g) {
    if (!seen[g] && problem.groups[g].fixed < 0) throw Error(ErrorKind::internal, "split", "a free group is not in the order");
  }
}

// The state of one deal: what each part and each (class, part) still wants, and where groups went.
class Deal {
 public:
  explicit Deal(const PartitionProblem& problem)
      : problem_(problem),
        parts_(problem.ratios.size()),
        want_(parts_),
        want_class_(problem.class_count * parts_),
        assigned_(problem.groups.size(), -1),
        remaining_(problem.class_count, 0) {
    // Totals over every group, fixed ones included: the ratios are met over the whole.
    double total = 0;
    std::vector<double> class_total(problem.class_count, 0.0);
    for (const auto& g : problem.groups) {
      total += static_cast<double>(g.weight);
      for (const auto& [c, w] : g.classes) class_total[c] += static_cast<double>(w);
    }
    for (std::size_t j = 0; j < parts_; ++j) {
      want_[j] = problem.ratios[j] * total;
      for (std::size_t c = 0; c < problem.class_count; ++c) want_class_[c * parts_ + j] = problem.ratios[j] * class_total[c];
    }
    for (std::size_t g = 0; g < problem.groups.size(); ++g) {
      if (problem.groups[g].fixed >= 0) {
        place(g, problem.groups[g].fixed);
      } else {
        for (const auto& entry : problem.groups[g].classes) ++remaining_[entry.first];
      }
    }
    // Parts with a zero ratio only take fixed groups (a hold-out-only test set).
    for (std::size_t j = 0; j < parts_; ++j) {
      if (problem.ratios[j] > 0) open_.push_back(static_cast<int>(j));
    }
    if (open_.empty()) throw Error(ErrorKind::internal, "split", "every ratio is zero");
  }

  // The classes carried by the fewest free groups still to deal (none when all are dealt).
  std::vector<std::size_t> rarest_classes() const {
    std::size_t fewest = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> rarest;
    for (std::size_t c = 0; c < remaining_.size(); ++c) {
      if (remaining_[c] == 0) continue;
      if (remaining_[c] < fewest) {
        fewest = remaining_[c];
        rarest.clear();
      }
      if (remaining_[c] == fewest) rarest.push_back(c);
    }
    return rarest;
  }

  // Each free group of class c goes to the part wanting c most, then wanting the most overall.
  void deal_class(std::size_t c, const std::vector<std::size_t>& groups_of_c, TieBreaker& ties) {
    for (const std::size_t g : groups_of_c) {
      if (assigned_[g] >= 0) continue;
      auto best = argmax(open_, [&](int j) { return want_class_[c * parts_ + static_cast<std::size_t>(j)]; });
      if (best.size() > 1) best = argmax(best, [&](int j) { return want_[static_cast<std::size_t>(j)]; });
      place(g, best.size() == 1 ? best[0] : best.at(ties.pick(best.size(), TieSite::part)));
      for (const auto& entry : problem_.groups[g].classes) --remaining_[entry.first];
    }
  }

  // Groups without any class: by the total alone.
  void deal_unlabelled(const std::vector<std::size_t>& order, TieBreaker& ties) {
    for (const std::size_t g : order) {
      if (assigned_[g] >= 0) continue;
      const auto best = argmax(open_, [&](int j) { return want_[static_cast<std::size_t>(j)]; });
      place(g, best.size() == 1 ? best[0] : best.at(ties.pick(best.size(), TieSite::part_unlabelled)));
    }
  }

  std::vector<int> assigned() const { return assigned_; }

 private:
  void place(std::size_t g, int j) {
    assigned_[g] = j;
    want_[static_cast<std::size_t>(j)] -= static_cast<double>(problem_.groups[g].weight);
    for (const auto& [c, w] : problem_.groups[g].classes) want_class_[c * parts_ + static_cast<std::size_t>(j)] -= static_cast<double>(w);
  }

  const PartitionProblem& problem_;
  std::size_t parts_;
  std::vector<double> want_;        // weight still missing per part
  std::vector<double> want_class_;  // per class and part, class-major
  std::vector<int> assigned_;
  std::vector<std::size_t> remaining_;  // free groups still to deal, per class
  std::vector<int> open_;
};

// Each class's free groups, in processing order.
std::vector<std::vector<std::size_t>> free_groups_by_class(const PartitionProblem& problem, const std::vector<std::size_t>& order) {
  std::vector<std::vector<std::size_t>> by_class(problem.class_count);
  for (const std::size_t g : order) {
    if (problem.groups[g].fixed >= 0) continue;
    for (const auto& entry : problem.groups[g].classes) by_class[entry.first].push_back(g);
  }
  return by_class;
}

}  // namespace

std::vector<int> iterative_stratification(const PartitionProblem& problem, const std::vector<std::size_t>& order,
                                          TieBreaker& ties) {
  check_problem(problem, order);
  Deal deal(problem);
  const auto by_class = free_groups_by_class(problem, order);
  // The rarest class first: its few groups have the fewest ways to land well.
  for (auto rarest = deal.rarest_classes(); !rarest.empty(); rarest = deal.rarest_classes()) {
    const std::size_t c = rarest.size() == 1 ? rarest[0] : rarest.at(ties.pick(rarest.size(), TieSite::label));
    deal.deal_class(c, by_class[c], ties);
  }
  deal.deal_unlabelled(order, ties);
  return deal.assigned();
}

}  // namespace clipset
