// Unit tests of suspects' parts (module learn): group-aware folds and the confident-learning
// ranking, on hand-made data.

#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "learn/suspects_internal.hpp"

namespace detail = clipset::detail;

namespace {

detail::LearnDataset dataset(const std::vector<std::pair<std::string, int>>& items, std::size_t classes) {
  detail::LearnDataset data;
  for (std::size_t c = 0; c < classes; ++c) data.classes.push_back("c" + std::to_string(c));
  for (std::size_t i = 0; i < items.size(); ++i) {
    detail::LearnItem item;
    item.id = "i" + std::to_string(i);
    item.group = items[i].first;
    item.label = items[i].second;
    data.items.push_back(item);
  }
  return data;
}

}  // namespace

TEST_CASE("suspects: folds keep each group whole and spread every class", "[suspects]") {
  std::vector<std::pair<std::string, int>> items;
  for (int g = 0; g < 20; ++g) {
    for (int k = 0; k < 1 + g % 4; ++k) items.push_back({"g" + std::to_string(g), g % 2});
  }
  const auto data = dataset(items, 2);
  for (const std::uint64_t seed : {0, 1, 7}) {
    const auto fold_of = detail::assign_folds(data, 5, seed);
    std::map<std::string, std::set<std::size_t>> folds_of_group;
    std::vector<std::vector<std::size_t>> per_class(5, std::vector<std::size_t>(2, 0));
    for (std::size_t i = 0; i < items.size(); ++i) {
      REQUIRE(fold_of[i] < 5);
      folds_of_group[items[i].first].insert(fold_of[i]);
      ++per_class[fold_of[i]][static_cast<std::size_t>(items[i].second)];
    }
    for (const auto& [group, folds] : folds_of_group) CHECK(folds.size() == 1);
    for (const auto& fold : per_class) {
      CHECK(fold[0] > 0);  // every fold holds each class: every model is tested on both
      CHECK(fold[1] > 0);
    }
  }
  // The same seed, the same folds.
  CHECK(detail::assign_folds(data, 5, 3) == detail::assign_folds(data, 5, 3));
}

TEST_CASE("suspects: a clip is a suspect when its class misses its threshold and another reaches its own", "[suspects]") {
  const auto data = dataset({{"a", 0}, {"b", 0}, {"c", 0}, {"d", 1}, {"e", 1}, {"f", 1}, {"g", 1}}, 2);
  // Thresholds: class 0 = mean(0.9, 0.8, 0.1) = 0.6; class 1 = mean(0.9, 0.9, 0.5, 0.3) = 0.65.
  const std::vector<std::vector<double>> p{{0.9, 0.1}, {0.8, 0.2}, {0.1, 0.9}, {0.1, 0.9},
                                           {0.1, 0.9}, {0.5, 0.5}, {0.7, 0.3}};
  const std::vector<bool> usable(7, true);
  const auto ranking = detail::rank_suspects(data, p, usable);
  CHECK(ranking.classes[0].threshold == Approx(0.6));
  CHECK(ranking.classes[1].threshold == Approx(0.65));
  CHECK(ranking.scored == 7);
  CHECK(ranking.correct == 4);  // argmax; the 0.5-0.5 tie goes to class 0
  // Item 2 (0.1 for its class 0, 0.9 >= 0.65 for class 1) and item 6 (0.3 < 0.65, 0.7 >= 0.6).
  // Item 5: 0.5 < 0.65, but class 0's 0.5 < 0.6: no other class is confident, not a suspect.
  REQUIRE(ranking.suspects.size() == 2);
  CHECK(ranking.suspects[0].id == "i2");
  CHECK(ranking.suspects[0].rank == 1);
  CHECK(ranking.suspects[0].given == "c0");
  CHECK(ranking.suspects[0].suggested == "c1");
  CHECK(ranking.suspects[0].score == Approx(0.9));
  CHECK(ranking.suspects[1].id == "i6");
  CHECK(ranking.suspects[1].score == Approx(0.7));
  CHECK(ranking.rows == std::vector<std::size_t>{2, 6});
  CHECK(ranking.classes[0].suspects == 1);
  CHECK(ranking.classes[1].suspects == 1);
}

TEST_CASE("suspects: unusable rows are neither scored nor in a threshold", "[suspects]") {
  const auto data = dataset({{"a", 0}, {"b", 0}, {"c", 1}, {"d", 1}}, 2);
  const std::vector<std::vector<double>> p{{0.9, 0.1}, {0.0, 0.0}, {0.2, 0.8}, {0.8, 0.2}};
  const auto ranking = detail::rank_suspects(data, p, {true, false, true, true});
  CHECK(ranking.scored == 3);
  CHECK(ranking.classes[0].clips == 1);
  CHECK(ranking.classes[0].threshold == Approx(0.9));
  REQUIRE(ranking.suspects.size() == 0);  // item 3: 0.8 < 0.9 for class 0, so no other class is confident
}
