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

}  // namespace

std::vector<int> iterative_stratification(const PartitionProblem& problem, const std::vector<std::size_t>& order,
                                          TieBreaker& ties) {
  check_problem(problem, order);
  const std::size_t parts = problem.ratios.size();
  const std::size_t classes = problem.class_count;
  const auto& groups = problem.groups;

  // Totals over every group, fixed ones included: the ratios are met over the whole.
  double total = 0;
  std::vector<double> class_total(classes, 0.0);
  for (const auto& g : groups) {
    total += static_cast<double>(g.weight);
    for (const auto& [c, w] : g.classes) class_total[c] += static_cast<double>(w);
  }
  // Desired weight still missing per part, and per class and part (class-major).
  std::vector<double> want(parts);
  std::vector<double> want_class(classes * parts);
  for (std::size_t j = 0; j < parts; ++j) {
    want[j] = problem.ratios[j] * total;
    for (std::size_t c = 0; c < classes; ++c) want_class[c * parts + j] = problem.ratios[j] * class_total[c];
  }

  std::vector<int> assigned(groups.size(), -1);
  std::vector<std::size_t> remaining(classes, 0);  // free groups carrying the class
  auto place = [&](std::size_t g, int j) {
    assigned[g] = j;
    want[j] -= static_cast<double>(groups[g].weight);
    for (const auto& [c, w] : groups[g].classes) want_class[c * parts + j] -= static_cast<double>(w);
  };
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].fixed >= 0) {
      place(g, groups[g].fixed);
    } else {
      for (const auto& entry : groups[g].classes) ++remaining[entry.first];
    }
  }

  // Parts with a zero ratio only take fixed groups (a hold-out-only test set).
  std::vector<int> open;
  for (std::size_t j = 0; j < parts; ++j) {
    if (problem.ratios[j] > 0) open.push_back(static_cast<int>(j));
  }
  if (open.empty()) throw Error(ErrorKind::internal, "split", "every ratio is zero");

  // Each class's free groups, in processing order.
  std::vector<std::vector<std::size_t>> by_class(classes);
  for (const std::size_t g : order) {
    if (groups[g].fixed >= 0) continue;
    for (const auto& entry : groups[g].classes) by_class[entry.first].push_back(g);
  }

  for (;;) {
    std::size_t fewest = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> rarest;
    for (std::size_t c = 0; c < classes; ++c) {
      if (remaining[c] == 0) continue;
      if (remaining[c] < fewest) {
        fewest = remaining[c];
        rarest.clear();
      }
      if (remaining[c] == fewest) rarest.push_back(c);
    }
    if (rarest.empty()) break;
    const std::size_t c = rarest.size() == 1 ? rarest[0] : rarest.at(ties.pick(rarest.size(), TieSite::label));
    for (const std::size_t g : by_class[c]) {
      if (assigned[g] >= 0) continue;
      auto best = argmax(open, [&](int j) { return want_class[c * parts + static_cast<std::size_t>(j)]; });
      if (best.size() > 1) best = argmax(best, [&](int j) { return want[static_cast<std::size_t>(j)]; });
      const int j = best.size() == 1 ? best[0] : best.at(ties.pick(best.size(), TieSite::part));
      place(g, j);
      for (const auto& entry : groups[g].classes) --remaining[entry.first];
    }
  }

  // Groups without any class: by the total alone.
  for (const std::size_t g : order) {
    if (assigned[g] >= 0) continue;
    const auto best = argmax(open, [&](int j) { return want[static_cast<std::size_t>(j)]; });
    place(g, best.size() == 1 ? best[0] : best.at(ties.pick(best.size(), TieSite::part_unlabelled)));
  }
  return assigned;
}

}  // namespace clipset
