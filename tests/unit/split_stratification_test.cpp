// Iterative stratification and the balanced method: the published algorithm reproduced exactly
// (tests/data/iterative_stratification.json), and the documented deviation bound on random
// problems.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "clipset/split.hpp"
#include "split/partition.hpp"

namespace {

using clipset::PartitionGroup;
using clipset::PartitionProblem;
using clipset::TieSite;
using Json = nlohmann::json;

Json load_fixture() {
  std::ifstream in(std::string(CLIPSET_TEST_DATA) + "/iterative_stratification.json");
  REQUIRE(in);
  return Json::parse(in);
}

// Replays the recorded tie-breaks, checking that each comes at the same place with the same
// number of candidates as it did upstream.
class ReplayTies final : public clipset::TieBreaker {
 public:
  explicit ReplayTies(const Json& choices) : choices_(choices) {}
  std::size_t pick(std::size_t candidates, TieSite site) override {
    INFO("tie-break call " << next_);
    REQUIRE(next_ < choices_.size());
    const Json& c = choices_[next_++];
    CHECK(c[0].get<std::size_t>() == candidates);
    CHECK(c[2].get<std::string>() == site_name(site));
    return c[1].get<std::size_t>();
  }
  std::size_t used() const { return next_; }

 private:
  static std::string site_name(TieSite site) {
    switch (site) {
      case TieSite::label: return "label_tie";
      case TieSite::part: return "fold_tie_after_total_size_tiebreak";
      case TieSite::part_unlabelled: return "all_zero_rows_fold_tie";
    }
    return "?";
  }
  const Json& choices_;
  std::size_t next_ = 0;
};

// Per part and class: |weight in the part - ratio x class total| divided by the bound
// (parts with a positive ratio - 1) x heaviest group of the class. <= 1 means within the bound.
double worst_bound_use(const PartitionProblem& p, const std::vector<int>& parts) {
  const std::size_t k = p.ratios.size();
  std::vector<double> total(p.class_count, 0), heaviest(p.class_count, 0), in(p.class_count * k, 0);
  for (std::size_t g = 0; g < p.groups.size(); ++g) {
    for (const auto& [c, w] : p.groups[g].classes) {
      total[c] += static_cast<double>(w);
      heaviest[c] = std::max(heaviest[c], static_cast<double>(w));
      in[c * k + static_cast<std::size_t>(parts[g])] += static_cast<double>(w);
    }
  }
  double open = 0;
  for (const double r : p.ratios) open += r > 0 ? 1 : 0;
  double worst = 0;
  for (std::size_t c = 0; c < p.class_count; ++c) {
    for (std::size_t j = 0; j < k; ++j) {
      const double dev = std::fabs(in[c * k + j] - p.ratios[j] * total[c]);
      if (total[c] > 0) worst = std::max(worst, dev / ((open - 1) * heaviest[c]));
    }
  }
  return worst;
}

PartitionProblem random_problem(std::mt19937_64& rng, std::size_t groups, std::size_t classes, bool multi_label,
                                std::vector<double> ratios) {
  PartitionProblem p;
  p.ratios = std::move(ratios);
  p.class_count = classes;
  std::uniform_int_distribution<std::size_t> cls(0, classes - 1);
  std::geometric_distribution<int> size(0.05);  // a few large groups among many small ones
  for (std::size_t g = 0; g < groups; ++g) {
    PartitionGroup group;
    group.weight = 1 + size(rng);
    const auto first = cls(rng);
    group.classes.emplace_back(static_cast<std::uint32_t>(first), group.weight);
    if (multi_label && rng() % 3 == 0) {
      const auto second = cls(rng);
      if (second != first) group.classes.emplace_back(static_cast<std::uint32_t>(second), 1 + static_cast<std::int64_t>(rng() % group.weight));
    }
    std::sort(group.classes.begin(), group.classes.end());
    p.groups.push_back(std::move(group));
  }
  return p;
}

}  // namespace

TEST_CASE("split: iterative stratification reproduces iterstrat's folds with its tie-breaks replayed", "[split][stratification]") {
  const Json fixture = load_fixture();
  for (const auto& c : fixture["cases"]) {
    INFO("case " << c["id"].get<std::string>());
    const auto k = c["n_splits"].get<std::size_t>();
    PartitionProblem problem;
    // As upstream computes it: r = 1/k, desired = r * count, decremented by 1.
    problem.ratios.assign(k, 1.0 / static_cast<double>(k));
    problem.class_count = c["labels"][0].size();
    std::vector<std::size_t> order;
    for (const auto& row : c["labels"]) {
      PartitionGroup g;
      g.weight = 1;
      for (std::size_t l = 0; l < row.size(); ++l) {
        if (row[l].get<int>() != 0) g.classes.emplace_back(static_cast<std::uint32_t>(l), 1);
      }
      order.push_back(problem.groups.size());
      problem.groups.push_back(std::move(g));
    }
    ReplayTies ties(c["tie_break_choices"]);
    const auto parts = clipset::iterative_stratification(problem, order, ties);
    CHECK(ties.used() == c["tie_break_choices"].size());
    CHECK(parts == c["test_folds"].get<std::vector<int>>());
  }
}

TEST_CASE("split: iterative stratification: fixed groups stay, zero-ratio parts take no free group", "[split][stratification]") {
  PartitionProblem p;
  p.ratios = {0.5, 0.5, 0.0};
  p.class_count = 2;
  for (int g = 0; g < 20; ++g) {
    PartitionGroup group;
    group.weight = 1 + g % 3;
    group.classes.emplace_back(static_cast<std::uint32_t>(g % 2), group.weight);
    if (g < 3) group.fixed = 2;  // held out
    if (g == 3) group.fixed = 0;
    p.groups.push_back(group);
  }
  for (const std::uint64_t seed : {0ULL, 1ULL, 99ULL}) {
    const auto parts = clipset::balanced_partition(p, seed);
    for (std::size_t g = 0; g < p.groups.size(); ++g) {
      if (p.groups[g].fixed >= 0) CHECK(parts[g] == p.groups[g].fixed);
      else CHECK(parts[g] != 2);
    }
  }
}

TEST_CASE("split: balanced partition: single-label classes within the documented bound", "[split][stratification][property]") {
  const auto seed = GENERATE(take(40, random(0ULL, 1ULL << 40)));
  std::mt19937_64 rng(seed);  // only shapes the test problem; the split itself uses clipset's PRNG
  const std::vector<std::vector<double>> ratio_sets{{0.8, 0.1, 0.1}, {0.5, 0.5}, {0.7, 0.15, 0.15}, {0.6, 0.2, 0.1, 0.1}, {0.9, 0.1, 0.0}};
  const auto& ratios = ratio_sets[seed % ratio_sets.size()];
  const std::size_t groups = 5 + rng() % 400;
  const std::size_t classes = 1 + rng() % 12;
  const auto problem = random_problem(rng, groups, classes, false, ratios);
  INFO("seed " << seed << ", " << groups << " groups, " << classes << " classes");
  const auto parts = clipset::balanced_partition(problem, seed);
  CHECK(worst_bound_use(problem, parts) <= 1.0 + 1e-9);
  // The greedy pass alone meets it too (the proof in docs/split.md is about that pass).
  struct FirstTie final : clipset::TieBreaker {
    std::size_t pick(std::size_t, TieSite) override { return 0; }
  } first;
  std::vector<std::size_t> order(problem.groups.size());
  for (std::size_t g = 0; g < order.size(); ++g) order[g] = g;
  const auto greedy = clipset::iterative_stratification(problem, order, first);
  CHECK(worst_bound_use(problem, greedy) <= 1.0 + 1e-9);
}

TEST_CASE("split: balanced partition: local search never leaves more deviation than the greedy pass", "[split][stratification][property]") {
  const auto seed = GENERATE(take(25, random(0ULL, 1ULL << 40)));
  std::mt19937_64 rng(seed);
  const auto problem = random_problem(rng, 20 + rng() % 300, 2 + rng() % 8, true, {0.8, 0.1, 0.1});
  // Sum of squared deviations, the objective refine_partition lowers.
  auto objective = [&](const std::vector<int>& parts) {
    const std::size_t k = problem.ratios.size();
    std::vector<double> total(problem.class_count, 0), in(problem.class_count * k, 0), size(k, 0);
    double all = 0;
    for (std::size_t g = 0; g < parts.size(); ++g) {
      all += static_cast<double>(problem.groups[g].weight);
      size[static_cast<std::size_t>(parts[g])] += static_cast<double>(problem.groups[g].weight);
      for (const auto& [c, w] : problem.groups[g].classes) {
        total[c] += static_cast<double>(w);
        in[c * k + static_cast<std::size_t>(parts[g])] += static_cast<double>(w);
      }
    }
    double f = 0;
    for (std::size_t j = 0; j < k; ++j) f += std::pow(size[j] / all - problem.ratios[j], 2);
    for (std::size_t c = 0; c < problem.class_count; ++c) {
      for (std::size_t j = 0; j < k; ++j) {
        if (total[c] > 0) f += std::pow(in[c * k + j] / total[c] - problem.ratios[j], 2);
      }
    }
    return f;
  };
  struct FirstTie final : clipset::TieBreaker {
    std::size_t pick(std::size_t, TieSite) override { return 0; }
  } first;
  std::vector<std::size_t> order(problem.groups.size());
  for (std::size_t g = 0; g < order.size(); ++g) order[g] = g;
  auto parts = clipset::iterative_stratification(problem, order, first);
  const double before = objective(parts);
  clipset::refine_partition(problem, parts, order);
  CHECK(objective(parts) <= before + 1e-12);
}

TEST_CASE("split: balanced partition: the same seed gives the same parts, another seed usually others", "[split][stratification]") {
  std::mt19937_64 rng(7);
  const auto problem = random_problem(rng, 300, 5, true, {0.8, 0.1, 0.1});
  const auto a = clipset::balanced_partition(problem, 1);
  CHECK(a == clipset::balanced_partition(problem, 1));
  CHECK(a != clipset::balanced_partition(problem, 2));
}

TEST_CASE("split: balanced partition: pinned output, so a seed means the same split on every platform", "[split][stratification]") {
  // Any change here changes users' splits for the same seed: bump it only on purpose.
  PartitionProblem p;
  p.ratios = {0.6, 0.2, 0.2};
  p.class_count = 2;
  for (int g = 0; g < 10; ++g) {
    PartitionGroup group;
    group.weight = 1 + (g * 7) % 4;
    group.classes.emplace_back(static_cast<std::uint32_t>(g % 2), group.weight);
    p.groups.push_back(group);
  }
  const auto parts = clipset::balanced_partition(p, 0);
  std::string text;
  for (const int part : parts) text += std::to_string(part);
  CHECK(text == "2201100010");
}
