// Cross-validation for suspects: groups dealt to folds, one model per fold trained on the others,
// its probabilities for the held-out clips. A clip is never scored by a model that saw its group.

#include <algorithm>
#include <map>

#include "clipset/hash.hpp"
#include "clipset/thread_pool.hpp"
#include "suspects_internal.hpp"

namespace clipset::detail {

namespace {

struct GroupFacts {
  std::string key;
  std::string order;  // a digest of seed and key: ties broken in an order the seed draws
  std::vector<std::size_t> items;
  int label = 0;      // the group's most common class (the smallest index on a tie)
};

std::vector<GroupFacts> groups_of(const LearnDataset& data, std::uint64_t seed) {
  std::map<std::string, std::size_t> index;
  std::vector<GroupFacts> groups;
  for (std::size_t i = 0; i < data.items.size(); ++i) {
    const auto [it, added] = index.try_emplace(data.items[i].group, groups.size());
    if (added) groups.push_back({data.items[i].group, sha256_hex(std::to_string(seed) + " " + data.items[i].group), {}, 0});
    groups[it->second].items.push_back(i);
  }
  for (GroupFacts& g : groups) {
    std::vector<std::size_t> counts(data.classes.size(), 0);
    for (const std::size_t i : g.items) ++counts[static_cast<std::size_t>(data.items[i].label)];
    g.label = static_cast<int>(std::max_element(counts.begin(), counts.end()) - counts.begin());
  }
  std::sort(groups.begin(), groups.end(), [](const GroupFacts& a, const GroupFacts& b) {
    if (a.items.size() != b.items.size()) return a.items.size() > b.items.size();
    return a.order < b.order;
  });
  return groups;
}

}  // namespace

std::vector<std::size_t> assign_folds(const LearnDataset& data, std::size_t folds, std::uint64_t seed) {
  std::vector<std::size_t> fold_of(data.items.size(), 0);
  std::vector<std::vector<std::size_t>> class_count(folds, std::vector<std::size_t>(data.classes.size(), 0));
  std::vector<std::size_t> total(folds, 0);
  for (const GroupFacts& g : groups_of(data, seed)) {
    std::size_t best = 0;
    for (std::size_t f = 1; f < folds; ++f) {
      const auto c = static_cast<std::size_t>(g.label);
      if (class_count[f][c] != class_count[best][c] ? class_count[f][c] < class_count[best][c] : total[f] < total[best]) best = f;
    }
    for (const std::size_t i : g.items) {
      fold_of[i] = best;
      ++class_count[best][static_cast<std::size_t>(data.items[i].label)];
      ++total[best];
    }
  }
  return fold_of;
}

std::vector<std::vector<double>> out_of_fold_probabilities(const LearnDataset& data, const FeatureMatrix& features,
                                                           const std::vector<bool>& usable,
                                                           const std::vector<std::size_t>& fold_of, std::size_t folds,
                                                           const SuspectsOptions& options,
                                                           const SuspectsCallbacks& callbacks) {
  const int classes = static_cast<int>(data.classes.size());
  std::vector<std::vector<double>> probabilities(data.items.size(), std::vector<double>(data.classes.size(), 0.0));
  struct FoldOutput {
    std::vector<std::size_t> rows;
    std::vector<std::vector<double>> values;
  };
  ordered_parallel_for(
      folds, options.jobs,
      [&](std::size_t fold) {
        std::vector<std::size_t> train_rows, test_rows;
        std::vector<int> labels;
        for (std::size_t i = 0; i < data.items.size(); ++i) {
          if (!usable[i]) continue;
          if (fold_of[i] == fold) {
            test_rows.push_back(i);
          } else {
            train_rows.push_back(i);
            labels.push_back(data.items[i].label);
          }
        }
        FoldOutput out;
        if (test_rows.empty() || train_rows.empty()) return out;
        FeatureMatrix train = rows_of(features, train_rows), test = rows_of(features, test_rows);
        Standardizer scaler;
        scaler.fit(train);
        scaler.apply(train);
        scaler.apply(test);
        SoftmaxRegression model;
        model.fit(train, labels, classes, options.classifier);
        out.rows = test_rows;
        for (std::size_t r = 0; r < test_rows.size(); ++r) out.values.push_back(model.probabilities(test.row(r)));
        return out;
      },
      [&](std::size_t fold, FoldOutput&& out) {
        for (std::size_t r = 0; r < out.rows.size(); ++r) probabilities[out.rows[r]] = std::move(out.values[r]);
        if (callbacks.progress) callbacks.progress(fold + 1, folds, "folds");
      });
  return probabilities;
}

}  // namespace clipset::detail
